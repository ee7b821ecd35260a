#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine too (run as root: it
# installs what is missing through scripts/setup.sh).
#
#   1. setup: packages, arm64 references, binfmt_misc, Rust targets
#   2. cargo fmt --check, cargo clippy -D warnings (both targets)
#   3. scripts/build.sh: both release binaries, size ceiling
#   4. cargo test --release: unit and property tests, the integration
#      suite against the x86_64 binary, the podman and Docker end-to-end
#      tests (tests/container.rs, tests/docker.rs: private dockerds)
#   5. the integration suite again against the aarch64 binary under
#      qemu-aarch64-static (MITE_BIN, MITE_RUNNER)
#
# Ends with one line "N passed, N failed" over every run; exit status 0
# only when nothing failed.
set -uo pipefail
# The suite sends SIGINT, SIGQUIT and others and compares what the inits
# do with them: a run started with signals ignored (nohup, a background
# job of a non-interactive shell) would hand that to every child. Start
# again with every signal at its default (coreutils env).
if [ -z "${TEST_SH_SIGNALS_DEFAULT:-}" ]; then
    TEST_SH_SIGNALS_DEFAULT=1 exec env --default-signal bash "$0" "$@"
fi
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

log=target/test-logs
mkdir -p "$log"
passed=0
failed=0
steps_failed=()

step() { printf '\n=== %s\n' "$*"; }

# Adds up the "test result:" lines of a cargo test log.
tally() {
    local p f
    p=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$1" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
    f=$(grep -Eo '[0-9]+ failed;' "$1" | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p))
    failed=$((failed + f))
    echo "[$2] $p passed, $f failed"
}

run() { # name, command...
    local name=$1; shift
    step "$name: $*"
    if ! "$@"; then steps_failed+=("$name"); return 1; fi
}

run setup bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

run fmt cargo fmt --check
run clippy cargo clippy --release --all-targets -- -D warnings
run clippy-aarch64 cargo clippy --release --target aarch64-unknown-linux-musl --lib --bins -- -D warnings
run build scripts/build.sh

step "x86_64: cargo test --release"
cargo test --release --no-fail-fast 2>&1 | tee "$log/x86_64.log"
[ "${PIPESTATUS[0]}" = 0 ] || steps_failed+=("tests-x86_64")
tally "$log/x86_64.log" x86_64

# The same integration tests against the aarch64 binary. The podman and
# Docker suites are left out here: they cover arm64 images themselves
# (Docker's init is a host binary, x86_64, whatever the image; pod runs
# the amd64 pause image; container_drain compares with the amd64
# reference inits); elf and reproducible check both architectures in the
# x86_64 run.
aarch64_tests=()
for t in tests/*.rs; do
    name=$(basename "$t" .rs)
    case "$name" in container | container_drain | docker | elf | pod | reproducible) ;; *) aarch64_tests+=(--test "$name") ;; esac
done
step "aarch64 (qemu-aarch64-static): cargo test --release ${aarch64_tests[*]}"
MITE_BIN=target/aarch64-unknown-linux-musl/release/mite MITE_RUNNER=qemu-aarch64-static \
    cargo test --release --no-fail-fast "${aarch64_tests[@]}" 2>&1 | tee "$log/aarch64.log"
[ "${PIPESTATUS[0]}" = 0 ] || steps_failed+=("tests-aarch64")
tally "$log/aarch64.log" aarch64

echo
if [ ${#steps_failed[@]} -gt 0 ]; then
    echo "failed steps: ${steps_failed[*]}"
    # A failed step that ran no test (fmt, clippy, build) counts as a failure.
    for s in "${steps_failed[@]}"; do
        case "$s" in tests-*) ;; *) failed=$((failed + 1)) ;; esac
    done
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ ${#steps_failed[@]} = 0 ]
