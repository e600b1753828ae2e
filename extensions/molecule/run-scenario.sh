#!/usr/bin/env bash
# Runs one molecule scenario of the collection and proves that no pre-shared key it uses shows
# up in Ansible's output (scripts/assert-no-secret-in-log.sh). Each scenario's test.sh prepares
# what its platform needs and calls:
#
#   extensions/molecule/run-scenario.sh SCENARIO "PSK1 PSK2 ..." [-- ARGS FOR ANSIBLE-PLAYBOOK]
#
# The output goes to build/molecule/SCENARIO.log as well.
set -euo pipefail

scenario=$1
read -r -a psks <<<"$2"
shift 2

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
venv_bin=${VENV_BIN:-$repo/.venv/bin}
log_dir=$repo/build/molecule
mkdir -p "$log_dir"
log=$log_dir/$scenario.log

export PATH=$venv_bin:$PATH
export ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 ANSIBLE_NOCOLOR=1

start=$SECONDS
set +e
molecule test -s "$scenario" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo "molecule test -s $scenario: exit $status in $((SECONDS - start))s (log: $log)"
[ "$status" -eq 0 ] || exit "$status"

scripts/assert-no-secret-in-log.sh "$log" "${psks[@]}"
