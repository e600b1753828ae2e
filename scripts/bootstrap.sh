#!/usr/bin/env bash
# Installs the system packages the lab needs on Debian/Ubuntu, when they are missing:
# graphviz's dot draws the lab's topology picture in the status run (playbooks/status.yml).
# As root it installs them with apt; otherwise it names them and stops.
set -euo pipefail

packages=(python3 python3-venv python3-pip make git openssh-client graphviz)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# A Python from elsewhere (pyenv, a distro backport) brings its own venv module.
if python3 -c 'import venv, ensurepip' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
  missing=("${missing[@]/python3-pip}")
  missing=("${missing[@]/python3}")
fi
read -r -a missing <<<"${missing[*]}"
((${#missing[@]})) || exit 0

if ! command -v apt-get >/dev/null; then
  echo "Install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
if ((EUID != 0)); then
  echo "Missing packages: ${missing[*]} - run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
