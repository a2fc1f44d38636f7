#!/usr/bin/env bash
# Prepare this machine for `make test-container`: the tools (Debian packages) and a local base image.
# Public image registries are not reachable here, so the base image is a Debian bookworm rootfs made
# by debootstrap from Debian's packages and imported into podman. The rootfs tarball is cached in
# $EMULATORS_CACHE (default /var/cache/vendor-emulators), so only the first run pays for debootstrap.
# Exit 0: ready. Exit 3: cannot prepare here (printed one line why). Anything else: a real failure.
set -euo pipefail

CACHE=${EMULATORS_CACHE:-/var/cache/vendor-emulators}
BASE_IMAGE=${EMULATORS_BASE_IMAGE:-localhost/emulators-base:bookworm}
SUITE=bookworm
MIRROR=${EMULATORS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
INCLUDE=python3,python3-venv,ca-certificates
TARBALL="$CACHE/rootfs-$SUITE-$(echo "$INCLUDE" | tr , -).tar"
HERE=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$HERE/containers.conf}

say() { echo "test-container: $*"; }
now() { date +%s; }
took() { echo $(( $(now) - $1 )); }

need=()
for tool in podman:podman runc:runc debootstrap:debootstrap nginx:nginx newuidmap:uidmap \
            fuse-overlayfs:fuse-overlayfs slirp4netns:slirp4netns docker-compose:docker-compose; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${tool%%:*}" ] || need+=("${tool#*:}")
done
# name resolution on podman's (CNI) networks: compose services reach each other by service name
[ -x /usr/lib/cni/dnsname ] || need+=(golang-github-containernetworking-plugin-dnsname)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "skipped: needs ${need[*]} (run as root on Debian to have them installed)"
    exit 3
  fi
  t=$(now)
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  { apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${need[@]}"; } \
    >"$log" 2>&1 || { tail -20 "$log"; say "apt-get failed"; exit 1; }
  rm -f "$log"
  say "installed in $(took "$t") s"
fi
if [ "$(id -u)" != 0 ]; then
  say "skipped: podman builds here need root (rootless podman needs subuid ranges set up by hand)"
  exit 3
fi

mkdir -p "$CACHE"
if [ ! -s "$TARBALL" ]; then
  t=$(now)
  root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  say "debootstrap $SUITE ($INCLUDE) from $MIRROR"
  debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$root" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log"; say "debootstrap failed (log: $CACHE/debootstrap.log)"; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/tmp/* 2>/dev/null || true
  tar -C "$root" --numeric-owner -cf "$TARBALL.part" .
  mv "$TARBALL.part" "$TARBALL"
  rm -rf "$root"; trap - EXIT
  say "base rootfs built in $(took "$t") s ($(du -h "$TARBALL" | cut -f1), cached at $TARBALL)"
else
  say "base rootfs from cache: $TARBALL"
fi

stamp="$CACHE/$(basename "$TARBALL").imported"
if ! podman image exists "$BASE_IMAGE" || [ ! -f "$stamp" ] || [ "$TARBALL" -nt "$stamp" ]; then
  t=$(now)
  podman import -q --change 'CMD ["/bin/bash"]' "$TARBALL" "$BASE_IMAGE" >/dev/null
  touch "$stamp"
  say "imported $BASE_IMAGE in $(took "$t") s"
fi
exit 0
