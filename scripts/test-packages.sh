#!/usr/bin/env bash
# Installs the Debian packages the tests need on the host, when missing (as root):
# libreswan, whose `ipsec addconn --checkconfig` and `ipsec algparse` check the openswan role's
# rendered configuration (the service is never started), and the Docker engine and mmdebstrap
# for the molecule scenarios' offline image.
set -euo pipefail

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
[ -x /usr/sbin/ipsec ] || missing+=(libreswan)
[ ${#missing[@]} -eq 0 ] && exit 0

if ((EUID != 0)); then
  echo "Missing packages for the tests: ${missing[*]} - run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "test-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
