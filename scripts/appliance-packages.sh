#!/usr/bin/env bash
# Installs the Debian packages the twin's data plane needs on the host, when missing (as root):
# QEMU to run the guest, mmdebstrap and e2fsprogs to build its disk image offline from the
# configured Debian mirror, and the OpenSSH client to reach the guest through its forwarded port.
set -euo pipefail

missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
command -v mkfs.ext4 >/dev/null 2>&1 || missing+=(e2fsprogs)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
[ ${#missing[@]} -eq 0 ] && exit 0
# openssh-client may be listed twice; apt-get does not mind, but the message reads better without.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if ((EUID != 0)); then
  echo "Missing packages for the appliance: ${missing[*]} - run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "appliance-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
