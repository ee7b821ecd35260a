#!/usr/bin/env bash
# Installs what the test suite needs when it is missing, on a fresh Debian
# machine, as root: the reference inits, qemu-user for aarch64, podman with
# runc, Docker (Debian's docker.io 20.10: dockerd, containerd, runc and the
# matching client /usr/bin/docker; docker-compose 1.29), busybox-static,
# strace; the arm64 builds of busybox-static and tini (for the arm64 image
# and the emulator-limit checks); the Rust toolchain and targets from
# rust-toolchain.toml; binfmt_misc for qemu-aarch64.
#
# No Docker daemon is started here, nor by the package: tests/docker.rs
# starts private ones of its own (see there).
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
      binutils util-linux procps python3 uidmap docker.io docker-compose)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    need_root "${missing[*]}"
    say "installing: ${missing[*]}"
    # docker.io's postinst would start a system dockerd (and containerd) on
    # the host's default socket where an init system lets it; the tests
    # never use that one. policy-rc.d exit 101 = "do not start services";
    # a machine that already has one keeps its own.
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
        trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    if [ "$made_policy" = 1 ]; then rm -f "$policy"; trap - EXIT; fi
fi
# Another docker client may shadow Debian's on PATH (this machine kind has
# Docker 28's in /usr/local/bin, no part of docker.io): the tests call
# /usr/bin/docker, the client packaged with this dockerd, by its full path.
[ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker-init ] ||
    { say "docker.io is installed but /usr/bin/docker, /usr/sbin/dockerd or /usr/bin/docker-init is missing"; exit 1; }

# arm64 workloads and the arm64 reference inits (tini-static, dumb-init,
# catatonit), extracted (not installed), for the differential tests under
# qemu-aarch64-static.
ARM64=target/refs/arm64
# libc6 (its loader and libc) for the dynamically linked arm64 dumb-init:
# qemu-aarch64-static -L target/refs/arm64 runs it.
ARM64_PKGS=(busybox-static:arm64 tini:arm64 dumb-init:arm64 catatonit:arm64 libc6:arm64)
if [ ! -x "$ARM64/bin/busybox" ] || [ ! -x "$ARM64/usr/bin/tini-static" ] ||
   [ ! -x "$ARM64/usr/bin/dumb-init" ] || [ ! -x "$ARM64/usr/bin/catatonit" ] ||
   [ ! -e "$ARM64/lib/ld-linux-aarch64.so.1" ]; then
    need_root "arm64 packages"
    say "fetching ${ARM64_PKGS[*]} into $ARM64"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64
        apt-get update -qq
    fi
    mkdir -p "$ARM64" target/refs/debs
    (cd target/refs/debs && apt-get download -qq "${ARM64_PKGS[@]}" 2>/dev/null ||
        { apt-get update -qq && apt-get download -qq "${ARM64_PKGS[@]}"; })
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
