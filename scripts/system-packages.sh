#!/usr/bin/env bash
# Installs the Debian packages Gastvrij needs (as root), or says what to do when not root.
# Usage: scripts/system-packages.sh PACKAGE...   (only the missing ones are installed)
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Gastvrij needs these Debian packages, which only root can install: ${missing[*]}" >&2
  echo "Run this as root, or ask an administrator to run:  sudo apt-get install -y ${missing[*]}" >&2
  echo "Going on without them: the parts that need them are skipped, each with its reason." >&2
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || true
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "Could not install ${missing[*]} (see apt-get's message above); the parts that need them are skipped." >&2
fi
