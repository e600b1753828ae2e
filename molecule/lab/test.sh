#!/usr/bin/env bash
# Runs the whole-lab molecule scenario on the offline twin, in a twin of its own (own port and
# state directory, the appliance image from the usual cache), then fails if a pre-shared key
# the scenario uses shows up in Ansible's output.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
venv_bin=${VENV_BIN:-$repo/.venv/bin}
log_dir=$repo/build/molecule
mkdir -p "$log_dir"
log=$log_dir/lab.log
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT

export MOLECULE_GLOB='molecule/*/molecule.yml'
export PATH=$venv_bin:$PATH
export ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 ANSIBLE_NOCOLOR=1
export LABBOX_HOME=$state/labbox HYBRIDLAB_STATE_DIR=$state/lab
export LABBOX_PORT=${LABBOX_PORT:-5199}
# Keys the scenario sets, so the output can be searched for them.
psks=(molecule.lab_key1 molecule.lab_key2)
export MOLECULE_LAB_PSKS="[\"${psks[0]}\", \"${psks[1]}\"]"

start=$SECONDS
set +e
molecule test -s lab -- -e "{\"vpn_tunnel_psks\": $MOLECULE_LAB_PSKS}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo "molecule test -s lab: exit $status in $((SECONDS - start))s (log: $log)"
# Whatever happened, nothing of this run may keep running.
"$venv_bin/python" -m labbox stop >/dev/null
[ "$status" -eq 0 ] || exit "$status"

scripts/assert-no-secret-in-log.sh "$log" "${psks[@]}"
