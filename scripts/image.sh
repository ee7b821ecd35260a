#!/usr/bin/env bash
# Builds mite's own OCI image: FROM scratch, nothing in it but the static
# binary at /mite, for linux/amd64 and linux/arm64, joined in one manifest
# list so that `COPY --from=localhost/mite /mite /mite` (or a `FROM
# localhost/mite AS mite` stage) picks the binary of the architecture being
# built. Prints the sizes; optionally saves everything as an OCI archive.
#
# usage: scripts/image.sh [--name NAME] [--oci PATH] [--no-build]
#                          [--amd64 BINARY] [--arm64 BINARY]
#   --name NAME  the manifest list (default localhost/mite:latest); the
#                per-architecture images are tagged NAME-amd64, NAME-arm64
#   --oci PATH   also write the list and both images to PATH (oci-archive)
#   --no-build   use the binaries already built instead of running cargo
#   --amd64 BINARY, --arm64 BINARY
#                put this binary in that image instead of cargo's build
#                (target/release/mite, target/aarch64-unknown-linux-musl/...)
#
# Idempotent: an existing list or per-architecture image of the same name
# is removed first. Needs podman (runc) and, for the arm64 image, nothing
# more: the image has no RUN step, so no emulator runs at build time.
# Podman reads CONTAINERS_CONF; target/podman/containers.conf (written by
# scripts/setup.sh) is used when it is unset and exists.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

name=localhost/mite:latest
oci=
build=1
# Architecture (OCI name): binary, ELF e_machine.
arches=(amd64 arm64)
declare -A bin=([amd64]=$repo/target/release/mite [arm64]=$repo/target/aarch64-unknown-linux-musl/release/mite)
declare -A machine=([amd64]=62 [arm64]=183)
given=0
while [ $# -gt 0 ]; do
    case $1 in
        --name) name=${2:?--name needs a value}; shift 2 ;;
        --name=*) name=${1#*=}; shift ;;
        --oci) oci=$(realpath -m "${2:?--oci needs a value}"); shift 2 ;;
        --oci=*) oci=$(realpath -m "${1#*=}"); shift ;;
        --no-build) build=0; shift ;;
        --amd64|--arm64)
            bin[${1#--}]=$(realpath -m "${2:?$1 needs a value}"); given=$((given + 1)); shift 2 ;;
        -h|--help) sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        *) echo "image.sh: unknown argument '$1' (see --help)" >&2; exit 1 ;;
    esac
done
# A name without a tag gets :latest, as podman would give it.
case ${name##*/} in *:*) ;; *) name=$name:latest ;; esac
cd "$repo"

if [ -z "${CONTAINERS_CONF:-}" ] && [ -f target/podman/containers.conf ]; then
    export CONTAINERS_CONF=$PWD/target/podman/containers.conf
fi

say() { printf '[image] %s\n' "$*" >&2; }

if [ "$build" = 1 ] && [ "$given" -lt 2 ]; then
    say "cargo build --release (x86_64, aarch64)"
    cargo build --release --quiet
    cargo build --release --quiet --target aarch64-unknown-linux-musl
fi

# One build context per architecture, holding a snapshot of its binary: the
# image and the sizes printed below are of the same file, even if cargo
# rewrites target/ meanwhile.
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT

# The ELF header's e_machine (bytes 18-19, little-endian): a wrong binary in
# an image would only show up when a container fails to start.
elf_machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; }
for a in "${arches[@]}"; do
    f=${bin[$a]}
    [ -f "$f" ] || { say "missing $f (run without --no-build)"; exit 1; }
    mkdir "$ctx/$a"
    # install -m: the mode in the image is 0755 whatever the umask (cp
    # would give -rwx------ under umask 077: a non-root user could not run
    # /mite, and the image digest would depend on the builder's umask).
    install -m 0755 "$f" "$ctx/$a/mite"
    m=$(elf_machine "$ctx/$a/mite")
    [ "$m" = "${machine[$a]}" ] || { say "$f: ELF machine $m, expected ${machine[$a]} for $a"; exit 1; }
    cat > "$ctx/$a/Containerfile" <<'EOF'
FROM scratch
COPY mite /mite
ENTRYPOINT ["/mite"]
CMD ["--version"]
EOF
done

# Remove what a previous run left: the list first (it references the
# images), then the per-architecture images.
if podman manifest exists "$name" 2>/dev/null; then
    podman manifest rm "$name" >/dev/null
elif podman image exists "$name" 2>/dev/null; then
    podman rmi -f "$name" >/dev/null
fi
for a in "${arches[@]}"; do
    if podman image exists "$name-$a"; then podman rmi -f "$name-$a" >/dev/null; fi
done

podman manifest create "$name" >/dev/null
for a in "${arches[@]}"; do
    # --timestamp 0: the same binary always gives the same image digest;
    # --layers=false: no intermediate images are left behind.
    podman build --quiet --pull=never --isolation chroot --arch "$a" --os linux \
        --timestamp 0 --layers=false -t "$name-$a" "$ctx/$a" >/dev/null
    podman manifest add "$name" "containers-storage:$name-$a" >/dev/null
    say "built $name-$a"
done

if [ -n "$oci" ]; then
    rm -f "$oci"
    podman manifest push --quiet --all "$name" "oci-archive:$oci"
    say "saved $oci"
fi

# Sizes: the binary, and the image as podman stores it (the uncompressed
# layer, a tar holding the binary, plus the config). The OCI archive holds
# both images gzip-compressed, the manifests and the list.
printf '%-12s %-32s %8s %8s\n' ARCH IMAGE BINARY IMAGE
for a in "${arches[@]}"; do
    printf '%-12s %-32s %8s %8s\n' "linux/$a" "$name-$a" "$(stat -c %s "$ctx/$a/mite")" \
        "$(podman image inspect --format '{{.Size}}' "$name-$a")"
done
[ -z "$oci" ] || printf '%-45s %8s\n' "oci-archive $oci" "$(stat -c %s "$oci")"
arch_list=$(podman manifest inspect "$name" | sed -n 's/.*"architecture": *"\([a-z0-9]*\)".*/linux\/\1/p' | paste -sd' ')
printf 'manifest list %s: %s\n' "$name" "$arch_list"
