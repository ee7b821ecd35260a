#!/usr/bin/env bash
# Makes the release set of the checked-out commit, in one folder:
#   mite-x86_64         the static x86_64 binary
#   mite-aarch64        the static aarch64 binary
#   mite-image.oci.tar  mite's own image (scripts/image.sh): a manifest list
#                       of linux/amd64 and linux/arm64, as an OCI archive
#   SHA256SUMS          their sha256, for `sha256sum -c SHA256SUMS`
# and prints the commit, the toolchain and the checksums.
#
# usage: scripts/release.sh [--out DIR] [--name NAME] [--no-image]
#                           [--allow-dirty]
#   --out DIR      the folder (default target/release-set), emptied first
#   --name NAME    the image's name in podman's storage (default
#                  localhost/mite:latest; see scripts/image.sh)
#   --no-image     only the binaries and SHA256SUMS (no podman needed)
#   --allow-dirty  build although tracked files differ from the commit;
#                  `--version` then says COMMIT-dirty, and the set
#                  matches no release
#
# Reproducible: the same commit gives the same bytes whoever builds it,
# wherever the checkout lies, whatever the clock, time zone and locale
# (tests/reproducible.rs proves it with two clones). The binaries depend
# only on the commit and the toolchain pinned in rust-toolchain.toml;
# the image archive also on podman's version (it gzips the layers and
# writes the manifests), so its checksum is only comparable with the
# same podman. What would change the bytes is cleared here: RUSTFLAGS and
# the other CARGO_*/RUST* build overrides, RUSTUP_TOOLCHAIN (the pin
# rules) and MITE_KEEP_SECTIONS. A cargo config.toml outside the
# checkout (in a parent directory or $CARGO_HOME) that adds rustflags
# for these targets would still change them: build without one.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

out=target/release-set
name=localhost/mite:latest
image=1
allow_dirty=0
while [ $# -gt 0 ]; do
    case $1 in
        --out) out=${2:?--out needs a value}; shift 2 ;;
        --out=*) out=${1#*=}; shift ;;
        --name) name=${2:?--name needs a value}; shift 2 ;;
        --name=*) name=${1#*=}; shift ;;
        --no-image) image=0; shift ;;
        --allow-dirty) allow_dirty=1; shift ;;
        -h|--help) sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        *) echo "release.sh: unknown argument '$1' (see --help)" >&2; exit 1 ;;
    esac
done

say() { printf '[release] %s\n' "$*" >&2; }

# The build environment a fresh user has: no flag overrides.
for v in $(compgen -e); do
    case $v in
        CARGO_TARGET_DIR) ;;
        RUSTFLAGS | RUSTDOCFLAGS | RUSTC | RUSTUP_TOOLCHAIN | CARGO_ENCODED_RUSTFLAGS | \
            CARGO_BUILD_* | CARGO_TARGET_* | CARGO_PROFILE_* | CARGO_INCREMENTAL | \
            MITE_KEEP_SECTIONS)
            unset "$v" ;;
    esac
done

if git rev-parse --git-dir >/dev/null 2>&1; then
    commit=$(git rev-parse --short=12 HEAD)
    if [ -n "$(git --no-optional-locks status --porcelain --untracked-files=no)" ]; then
        if [ "$allow_dirty" = 0 ]; then
            say "tracked files differ from $commit: commit them, or pass --allow-dirty"
            exit 1
        fi
        commit=$commit-dirty
    fi
    [ -z "${MITE_COMMIT:-}" ] || commit=$MITE_COMMIT
else
    commit=${MITE_COMMIT:-unknown}
    [ -n "${MITE_COMMIT:-}" ] || say "not a git checkout and no MITE_COMMIT: --version will say 'unknown'"
fi

target=${CARGO_TARGET_DIR:-target}
say "cargo build --release --locked (x86_64, aarch64) of $commit"
cargo build --release --locked --quiet --bin mite
cargo build --release --locked --quiet --bin mite --target aarch64-unknown-linux-musl

rm -rf "$out"
mkdir -p "$out"
install -m 0755 "$target/release/mite" "$out/mite-x86_64"
install -m 0755 "$target/aarch64-unknown-linux-musl/release/mite" "$out/mite-aarch64"
files=(mite-x86_64 mite-aarch64)

if [ "$image" = 1 ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    scripts/image.sh --no-build --name "$name" --amd64 "$out/mite-x86_64" \
        --arm64 "$out/mite-aarch64" --oci "$tmp/podman.tar" >/dev/null
    # podman's archive holds the same blobs every time (image.sh builds
    # with --timestamp 0), but the tar around them has the time of
    # writing: unpack it and pack it again with fixed times, owners,
    # modes and order, so the archive's checksum is reproducible too.
    mkdir "$tmp/oci"
    tar -C "$tmp/oci" -xmf "$tmp/podman.tar"
    (cd "$tmp/oci" && LC_ALL=C tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        --mode=u=rwX,go=rX --format=gnu -cf - -- *) > "$out/mite-image.oci.tar"
    chmod 0644 "$out/mite-image.oci.tar"
    files+=(mite-image.oci.tar)
fi

(cd "$out" && sha256sum -- "${files[@]}" > SHA256SUMS)

echo "mite $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1), commit $commit"
echo "toolchain: $(rustc -V); $(cargo -V)"
echo "release set: $out"
cat "$out/SHA256SUMS"
