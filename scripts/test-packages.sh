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
exec "$(dirname "${BASH_SOURCE[0]}")/apt-install-missing.sh" "the tests" "${missing[@]}"
