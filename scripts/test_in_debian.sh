#!/usr/bin/env bash
# Run `make TARGET` of this repository inside a Debian release other than the
# host's, with Debian's own packages (QGIS, GDAL, numpy of that release).
#
#   scripts/test_in_debian.sh trixie [TARGET...]    # Debian 13: QGIS 3.40, Python 3.13
#   scripts/test_in_debian.sh sid [TARGET...]       # Debian sid: QGIS 3.44, Python 3.14
#
# As root. The root file system is built once with `debootstrap --variant=minbase`
# under $CARBONSINK_ROOTS (default /var/tmp/carbonsink-roots/SUITE) and reused
# after; the host's CA certificates and /etc/pip.conf are copied in so that the
# package registries answer as on the host; proc/dev/sys are mounted for the
# run and unmounted after it, whatever happens. The committed HEAD of this
# repository is cloned into the root (a clean checkout, as CI sees it) and
# `make TARGET` (default: test) runs there. The exit code is make's.
set -euo pipefail

suite=${1:?usage: $0 SUITE [TARGET...]}
shift
targets=("${@:-test}")
repo=$(cd "$(dirname "$0")/.." && pwd)
root=${CARBONSINK_ROOTS:-/var/tmp/carbonsink-roots}/$suite
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ "$(id -u)" != 0 ]; then
    echo "test_in_debian.sh: needs root (debootstrap, chroot and mounts)" >&2
    exit 2
fi
export DEBIAN_FRONTEND=noninteractive

if ! command -v debootstrap >/dev/null; then
    apt-get update -q && apt-get install -y -q debootstrap </dev/null
fi

mounted=()
cleanup() {
    local m
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        m=${mounted[i]}
        umount -l "$m" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_in() {   # mount_in TYPE-ARGS... TARGET
    local target=${*: -1}
    mkdir -p "$target"
    if ! mountpoint -q "$target"; then
        mount "$@"
        mounted+=("$target")
    fi
}

if [ ! -e "$root/.carbonsink-ready" ]; then
    echo "== building a $suite root in $root (debootstrap --variant=minbase)"
    rm -rf "$root"
    mkdir -p "$root"
    debootstrap --variant=minbase --include=ca-certificates,git,make,sudo \
        "$suite" "$root" "$mirror" </dev/null
    touch "$root/.carbonsink-ready"
fi

# the mirror may serve a snapshot whose Release file has expired (sid's has a
# Valid-Until date; stable releases have none): accept it in these roots
mkdir -p "$root/etc/apt/apt.conf.d"
echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/99carbonsink-snapshot"

# registries as on the host: CA certificates and pip's configuration
mkdir -p "$root/usr/local/share/ca-certificates"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$root/etc/pip.conf"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
chroot "$root" update-ca-certificates >/dev/null

mount_in -t proc proc "$root/proc"
mount_in --rbind /dev "$root/dev"
mount_in --rbind /sys "$root/sys"
mount_in -t tmpfs tmpfs "$root/tmp"

# a clean checkout of the committed HEAD, as CI sees it
rm -rf "$root/work/carbonsink"
mkdir -p "$root/work"
git clone -q --no-hardlinks "$repo" "$root/work/carbonsink"

echo "== $suite: $(cat "$root/etc/debian_version"), make ${targets[*]}"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    bash -c 'cd /work/carbonsink && make "$@" </dev/null' make "${targets[@]}"
