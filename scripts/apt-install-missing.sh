#!/usr/bin/env bash
# Usage: apt-install-missing.sh PURPOSE PACKAGE...
# Installs the given Debian packages (the callers list only those that are missing) as root;
# otherwise names them with the command to run, and fails.
set -euo pipefail

purpose=$1
shift
(($#)) || exit 0
mapfile -t packages < <(printf '%s\n' "$@" | sort -u)

if ((EUID != 0)); then
  echo "Missing packages for $purpose: ${packages[*]} - run: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "installing ${packages[*]} for $purpose" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
