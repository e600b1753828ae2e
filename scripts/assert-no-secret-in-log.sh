#!/usr/bin/env bash
# Usage: assert-no-secret-in-log.sh LOG SECRET...
# Fails, naming the secret, when any of the given secrets (pre-shared keys) appears in LOG.
set -euo pipefail

log=$1
shift
(($#)) || { echo "no secrets given to look for in $log" >&2; exit 1; }
for secret in "$@"; do
    if grep -qF -- "$secret" "$log"; then
        echo "a pre-shared key ($secret) appears in Ansible's output: see $log" >&2
        exit 1
    fi
done
echo "no pre-shared key in Ansible's output ($# keys checked)"
