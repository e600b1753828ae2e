#!/usr/bin/env bash
# Installs the Debian packages the twin's data plane needs on the host, when missing (as root):
# QEMU to run the guest, mmdebstrap and e2fsprogs to build its disk image offline from the
# configured Debian mirror, the OpenSSH client to reach the guest through its forwarded port, and
# nftables for the optional route to the twin's public addresses.
set -euo pipefail

missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
command -v mkfs.ext4 >/dev/null 2>&1 || missing+=(e2fsprogs)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
# nft guards the route to the twin's public addresses (LABBOX_PUBLIC_ROUTE), when one is made.
command -v nft >/dev/null 2>&1 || missing+=(nftables)
exec "$(dirname "${BASH_SOURCE[0]}")/apt-install-missing.sh" "the appliance" "${missing[@]}"
