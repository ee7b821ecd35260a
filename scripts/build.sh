#!/usr/bin/env bash
# Builds the release binaries for both architectures and checks their size:
#   x86_64:  target/release/mite
#   aarch64: target/aarch64-unknown-linux-musl/release/mite
# Fails when either is above the hard ceiling (MITE_MAX_BYTES, 15360: see tests/elf.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

max=${MITE_MAX_BYTES:-15360}
cargo build --release --bin mite
cargo build --release --bin mite --target aarch64-unknown-linux-musl

status=0
for f in target/release/mite target/aarch64-unknown-linux-musl/release/mite; do
    size=$(stat -c %s "$f")
    if [ "$size" -le "$max" ]; then verdict="ok"; else verdict="OVER the ${max}-byte ceiling"; status=1; fi
    printf '%-48s %6d bytes  %s\n' "$f" "$size" "$verdict"
done
exit $status
