#!/usr/bin/env bash
# Installs what the test suite needs when it is missing, on a fresh Debian
# machine, as root: the reference inits, qemu-user for aarch64, podman with
# runc, busybox-static, strace; the arm64 builds of busybox-static and tini
# (for the arm64 image and the emulator-limit checks); the Rust toolchain
# and targets from rust-toolchain.toml; binfmt_misc for qemu-aarch64.
#
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

need_root() {
    if [ "$(id -u)" != 0 ]; then
        say "must run as root to install: $*"
        exit 1
    fi
}

PKGS=(qemu-user-static podman runc busybox-static tini dumb-init catatonit strace hyperfine faketime
      binutils util-linux procps python3 uidmap)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    need_root "${missing[*]}"
    say "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# arm64 workloads and the arm64 reference tini, extracted (not installed).
ARM64=target/refs/arm64
if [ ! -x "$ARM64/bin/busybox" ] || [ ! -x "$ARM64/usr/bin/tini-static" ]; then
    need_root "arm64 packages"
    say "fetching arm64 busybox-static and tini into $ARM64"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64
        apt-get update -qq
    fi
    mkdir -p "$ARM64" target/refs/debs
    (cd target/refs/debs && apt-get download -qq busybox-static:arm64 tini:arm64 2>/dev/null ||
        { apt-get update -qq && apt-get download -qq busybox-static:arm64 tini:arm64; })
    for d in target/refs/debs/*.deb; do dpkg-deb -x "$d" "$ARM64"; done
fi

# binfmt_misc: aarch64 ELF files run through qemu transparently (podman
# needs this for arm64 images).
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    need_root "binfmt_misc"
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
fi
# Debian's entry already has the flags it needs: P (the interpreter,
# aarch64-binfmt-P, expects argv[0] preserved), O and F (the interpreter is
# opened now, so it works inside containers too). Re-register an entry
# that lacks P: argv would shift by one.
entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
if [ -e "$entry" ] && ! grep -q '^flags: .*P' "$entry"; then
    echo -1 > "$entry"
fi
if [ -e /proc/sys/fs/binfmt_misc/register ] && [ ! -e "$entry" ]; then
    say "registering qemu-aarch64 with binfmt_misc"
    cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register
fi

# Rust: rustup reads rust-toolchain.toml (channel, targets, components).
if ! command -v cargo >/dev/null; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    else
        say "cargo not found: install rustup first"
        exit 1
    fi
fi
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
rustup target list --installed | grep -q aarch64-unknown-linux-musl || rustup target add aarch64-unknown-linux-musl

# podman configuration for this host: runc (crun fails on hybrid cgroups)
# and ulimits below the host's hard limits.
mkdir -p target/podman
cat > target/podman/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=2000:2000"]
[engine]
runtime = "runc"
CONF
say "ready"
