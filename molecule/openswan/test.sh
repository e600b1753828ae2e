#!/usr/bin/env bash
# Runs the hybridlab.aws.openswan molecule scenario from a fresh Debian 12 machine (as root):
# makes sure Docker and the offline image exist (scripts/docker-up.sh), runs
# `molecule test -s openswan`, and then fails if any pre-shared key the scenario uses shows
# up in Ansible's output, which runs in diff mode throughout.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
venv_bin=${VENV_BIN:-$repo/.venv/bin}
log_dir=$repo/build/molecule
mkdir -p "$log_dir"
log=$log_dir/openswan.log

scripts/docker-up.sh

# Scenarios live in molecule/<name>/ (the architecture's layout); say so explicitly, since
# molecule 26 would otherwise look in extensions/molecule/ when the repository is a collection.
export MOLECULE_GLOB='molecule/*/molecule.yml'
export PATH=$venv_bin:$PATH
export ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 ANSIBLE_NOCOLOR=1

start=$SECONDS
set +e
molecule test -s openswan 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo "molecule test -s openswan: exit $status in $((SECONDS - start))s (log: $log)"
[ "$status" -eq 0 ] || exit "$status"

# Every PSK in the scenario's vars files, e.g. Molecule.tunnel1_first.
mapfile -t psks < <(grep -ho 'pre_shared_key: *[^ ]*' molecule/openswan/vars/*.yml | awk '{print $2}' | sort -u)
scripts/assert-no-secret-in-log.sh "$log" "${psks[@]}"
