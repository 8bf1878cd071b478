#!/usr/bin/env bash
# Proves the README's two commands on a machine that has nothing installed: builds a minimal
# Debian 12 root with debootstrap, installs only what the README asks a user to have
# (g++ cmake make git ca-certificates), clones the current commit into it and runs
# `make test` and `make run` there. A green run here means a new user's first two commands work,
# whatever this host happens to have installed.
#
# usage: tests/fresh_machine.sh [test|run]...   (default: test run; `make fresh-check`)
# Needs root (or sudo) and Debian's package mirror. Caches only the bare base system
# (debootstrap's output, nothing the project installs) in $FRESH_CACHE_DIR, default
# /var/cache/attn-fresh; FRESH_NO_CACHE=1 rebuilds it. The root itself is deleted at exit,
# bind mounts first, even on Ctrl-C; FRESH_KEEP=1 keeps it for a look after a failure.
set -euo pipefail

suite=bookworm
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(test run)
for t in "${targets[@]}"; do
  case $t in test | run) ;; *) echo "fresh_machine: unknown target '$t' (use test, run)" >&2; exit 2 ;; esac
done

if [ "$(id -u)" != 0 ]; then
  exec sudo --preserve-env=FRESH_CACHE_DIR,FRESH_NO_CACHE,FRESH_KEEP "$0" "$@"
fi

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse HEAD)
cache_dir=${FRESH_CACHE_DIR:-/var/cache/attn-fresh}
base_tar="$cache_dir/$suite-minbase.tar"
stage="setup"
started=$(date +%s)
stage_started=$started

say() { echo "fresh_machine: $*"; }
begin() {  # begin NAME: starts a timed stage; the trap names it if it fails
  stage=$1
  stage_started=$(date +%s)
  say "── $stage"
}
end() { say "   $stage: $(($(date +%s) - stage_started)) s"; }

root=$(mktemp -d /var/tmp/attn-fresh.XXXXXX)
child=
mounts=(proc sys dev)

unmount_all() {
  local m
  for m in "${mounts[@]}"; do
    if mountpoint -q "$root/$m"; then umount -R "$root/$m" 2>/dev/null || umount -R -l "$root/$m"; fi
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "${child:-}" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM -- "-$child" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  unmount_all
  if [ "$status" != 0 ]; then
    say "FAILED at stage '$stage' (exit $status) after $(($(date +%s) - started)) s"
  fi
  if [ "${FRESH_KEEP:-0}" = 1 ]; then
    say "kept the root at $root (its mounts are undone)"
  elif findmnt -rn -o TARGET | grep -q "^$root/"; then
    say "something is still mounted under $root: not deleting it"  # rm would reach the host's /dev
  else
    rm -rf --one-file-system "$root"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

begin "base system ($suite, minbase)"
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap on this host"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
  awk '{print $2}' | grep -v security | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
if [ "${FRESH_NO_CACHE:-0}" != 1 ] && [ -s "$base_tar" ]; then
  say "using the cached bare base system $base_tar (FRESH_NO_CACHE=1 rebuilds it)"
  tar -xf "$base_tar" -C "$root"
else
  say "debootstrap --variant=minbase $suite from $mirror"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
    { tail -n 20 "$root.debootstrap.log" >&2; rm -f "$root.debootstrap.log"; exit 1; }
  rm -f "$root.debootstrap.log"
  rm -f "$root"/var/cache/apt/archives/*.deb
  find "$root/var/lib/apt/lists" -maxdepth 1 -type f -delete  # keeps partial/, owned by _apt
  mkdir -p "$cache_dir"
  tar -cf "$base_tar.tmp" -C "$root" . && mv "$base_tar.tmp" "$base_tar"
  say "cached the bare base system as $base_tar"
fi
# The host's apt sources (same mirror and snapshot) and name server; nothing else crosses over.
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -f "$root/etc/apt/sources.list"
cp -r /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/" 2>/dev/null || true
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
for f in /etc/apt/apt.conf.d/*; do  # only the settings that let apt reach the mirror
  grep -qiE 'proxy|Check-Valid-Until|Check-Date' "$f" 2>/dev/null && cp "$f" "$root/etc/apt/apt.conf.d/"
done
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
end

# In its own session, waited for in the background: a signal reaches this script's trap at once
# (not after a ten-minute build), and the trap stops the whole process group inside the root.
in_root() {
  setsid --wait chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb \
    ATTN_REQUIRE_TOOLS=1 bash -c "$1" &
  child=$!
  wait "$child"
}

begin "what the README asks a user to have: g++ cmake make git ca-certificates"
in_root "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  g++ cmake make git ca-certificates >/dev/null"
end

begin "git clone of $commit"
git clone -q --no-hardlinks "$repo" "$root/root/attn"
git -C "$root/root/attn" checkout -q "$commit"
end

for t in "${targets[@]}"; do
  begin "make $t (the README's command, in the fresh root)"
  in_root "cd /root/attn && make $t"
  end
done

say "PASSED: make ${targets[*]} on a fresh $suite root, $(($(date +%s) - started)) s in all"
