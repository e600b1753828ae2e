#!/usr/bin/env bash
# Benchmark of `make lab` on the offline twin (not a test: it prints figures, it judges nothing).
#
#   scripts/benchmark-lab.sh [RUNS]
#
# In a twin of its own (own port, state directory and lab state; the appliance image from the
# usual cache, built first when missing and timed apart), RUNS times (default 1):
#   build   ansible-playbook site.yml from nothing to the verified ping (twin and guest start included)
#   rerun   the same again with nothing to change (must report changed=0)
#   down    teardown, then the twin stopped
# and the guest's memory once the lab stands (free -m in the guest). Figures go to stdout and
# to build/benchmark/lab-<time>.txt; the playbooks' logs beside it.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
runs=${1:-1}
bin=$repo/.venv/bin
out=$repo/build/benchmark
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report=$out/lab-$stamp.txt
state=$(mktemp -d)
export LABBOX_HOME=$state/labbox HYBRIDLAB_STATE_DIR=$state/lab LABBOX_PORT=${LABBOX_PORT:-5188}
export ANSIBLE_CONFIG=$repo/ansible.cfg ANSIBLE_NOCOLOR=1 AWS_EC2_METADATA_DISABLED=true
cleanup() { "$bin/python" -m labbox stop >/dev/null 2>&1 || echo "labbox stop failed; see $LABBOX_HOME" >&2; rm -rf "$state"; }
trap cleanup EXIT

say() { echo "$*" | tee -a "$report"; }
seconds() { local start=$1; awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
playbook() {  # playbook LOG ARGS...: runs it, prints its wall time; fails on a failed run
    local log=$1 start; shift
    start=$(date +%s.%N)
    "$bin/ansible-playbook" "$@" >"$log" 2>&1 || { echo "failed: ansible-playbook $* (see $log)" >&2; exit 1; }
    seconds "$start"
}

say "hybridlab make lab benchmark, $stamp, $(nproc) cores, $(uname -r)"
start=$(date +%s.%N)
"$bin/python" -m labbox appliance build | tee -a "$report"
say "appliance image: ready in $(seconds "$start") s (0 when cached)"

for run in $(seq 1 "$runs"); do
    build=$(playbook "$out/lab-$stamp-build-$run.log" site.yml)
    grep -q "across the VPN: 0% loss" "$out/lab-$stamp-build-$run.log" || { echo "no verified ping in run $run" >&2; exit 1; }
    rerun=$(playbook "$out/lab-$stamp-rerun-$run.log" site.yml)
    changed=$(awk '/^[A-Za-z0-9-]+ +: ok=/ && !/ changed=0 / { n++ } END { print n + 0 }' "$out/lab-$stamp-rerun-$run.log")
    [ "$changed" -eq 0 ] || { echo "the rerun changed something (run $run)" >&2; exit 1; }
    memory=$("$bin/python" -m labbox appliance ssh -- free -m | awk '/^Mem:/ { print $3 " MiB used of " $2 " MiB" }')
    down=$(playbook "$out/lab-$stamp-down-$run.log" playbooks/teardown.yml)
    "$bin/python" -m labbox stop >/dev/null
    ratio=$(awk -v a="$rerun" -v b="$build" 'BEGIN { printf "%.2f", a / b }')
    say "run $run: build ${build} s, rerun ${rerun} s (${ratio} of build, changed=0), teardown ${down} s; guest memory with the lab up: $memory"
done
say "report: $report"
