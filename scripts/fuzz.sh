#!/usr/bin/env bash
# Fuzzes mite's argument and environment parsing for SECONDS (default 60)
# and prints the number of executions and of findings.
#
#   scripts/fuzz.sh [SECONDS]
#
# The target is fuzz/fuzz_targets/parse.rs (libFuzzer through cargo-fuzz).
# It runs on the pinned stable toolchain: cargo-fuzz's sanitizers need
# nightly, but the parsers are safe Rust, so what the fuzzer looks for is
# panics, overflows (checked in fuzz builds), failed invariants and hangs,
# and `--sanitizer none` finds those on stable. With a nightly toolchain
# installed, FUZZ_TOOLCHAIN=nightly FUZZ_SANITIZER=address adds
# AddressSanitizer (useful only for the little `unsafe` in sys::Argv).
#
# Needs: cargo-fuzz (installed here with `cargo install` when missing) and
# a C++ compiler for libFuzzer itself (g++, installed with apt when
# missing and run as root). Findings go to fuzz/artifacts/parse/, the
# growing corpus to fuzz/corpus/parse/ (both ignored by git). The exit
# status is 0 when nothing was found, 1 when something was.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN=${1:-60}
TOOLCHAIN=${FUZZ_TOOLCHAIN:-}
SANITIZER=${FUZZ_SANITIZER:-none}
TARGET=parse

say() { printf '[fuzz] %s\n' "$*" >&2; }

if ! command -v c++ >/dev/null && ! command -v g++ >/dev/null && ! command -v clang++ >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        say "installing g++ (libFuzzer is C++)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null
    else
        say "a C++ compiler is needed (apt-get install g++)"
        exit 2
    fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

plus=()
if [ -n "$TOOLCHAIN" ]; then
    plus=("+$TOOLCHAIN")
fi

# Seeds: a few well-formed and malformed invocations (strings separated by
# NUL, argv and envp separated by 0xff). The corpus keeps what the fuzzer
# learns between runs.
corpus=fuzz/corpus/$TARGET
mkdir -p "$corpus" fuzz/artifacts/$TARGET
if [ -z "$(ls -A "$corpus")" ]; then
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        # In the list below, ' ' separates strings and '|' starts envp.
        printf '%s' "$line" | tr ' |' '\000\377' > "$corpus/seed-$i"
    done <<'SEEDS'
mite -s -g -- sh -c x
mite -sgwv -pKILL -e143 sh -c x
mite --subreaper --pdeathsig=SIGKILL --remap-exit 143 -- x
mite --pgroup=1 x
mite -e
mite -p RTMIN+3 x|TINI_VERBOSITY=3
tini -s -g -w -v -p SIGKILL -e 143 -- sh -c x
tini --version
docker-init -- true|TINI_SUBREAPER= TINI_KILL_PROCESS_GROUP=1
/run/podman-init -x --
mite -- --|TINI_VERBOSITY=loud
mite -r TERM:QUIT --setsid --grace=5 --drain-signal 0 --timeout 9 --timeout-signal INT -P
mite x|MITE_GRACE=10 MITE_REWRITE=15:3,1:0 MITE_VERBOSE=2 MITE_SUBREAPER=0
dumb-init -c -r 15:0 -v -- sh -c x|DUMB_INIT_SETSID=0 DUMB_INIT_DEBUG=1
dumb-init --rewrite=+15:3x --single-child x
catatonit -gP -- x|CATATONIT_DEBUG=1
catatonit -V|CATATONIT_LOG=x
pause x -V|MITE_PAUSE=0
SEEDS
fi

before=$(ls fuzz/artifacts/$TARGET | wc -l)
mkdir -p fuzz/target
log=fuzz/target/$TARGET.log
say "running $TARGET for ${SECONDS_TO_RUN}s (toolchain ${TOOLCHAIN:-pinned}, sanitizer $SANITIZER)"
set +e
cargo "${plus[@]}" fuzz run --sanitizer "$SANITIZER" "$TARGET" "$corpus" -- \
    -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -dict=fuzz/parse.dict -print_final_stats=1 >"$log" 2>&1
status=$?
set -e
after=$(ls fuzz/artifacts/$TARGET | wc -l)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
findings=$((after - before))
if [ "$status" != 0 ] && [ "$findings" = 0 ]; then
    tail -n 30 "$log" >&2
    say "cargo fuzz failed (status $status) before fuzzing"
    exit 2
fi
if [ "$findings" != 0 ]; then
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" >&2 || true
    ls -t fuzz/artifacts/$TARGET | head -n "$findings" | sed 's|^|[fuzz] finding: fuzz/artifacts/'$TARGET'/|' >&2
fi
echo "fuzz $TARGET: ${SECONDS_TO_RUN}s, executions: ${execs:-0}, ${cov:-cov: ?}, findings: $findings"
[ "$findings" = 0 ]
