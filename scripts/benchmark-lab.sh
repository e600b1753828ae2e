#!/usr/bin/env bash
# Benchmark of `make lab` on the offline twin (not a test: it prints figures, it judges nothing).
#
#   scripts/benchmark-lab.sh [RUNS]
#
# In a twin of its own (own port, state directory and lab state; the appliance image from the
# usual cache, built first when missing and timed apart), for each way of reaching the
# instances (BENCHMARK_MODES, default "plain mitogen": HYBRIDLAB_MITOGEN=false, then Mitogen),
# RUNS times (default 1):
#   build   ansible-playbook site.yml from nothing to the verified ping (twin and guest start included)
#   rerun   the same again with nothing to change (must report changed=0)
#   task    one module run on IDC-CGW: scripts/benchmark-tasks.yml with 11 runs less with 1, over 10
#   down    teardown and the twin stopped, as `make lab-down`
# and the guest's memory once the lab stands (free -m in the guest). The last lines are a table
# of the last run of each mode against the goals. Figures go to stdout and to
# build/benchmark/lab-<time>.txt; the playbooks' logs beside it.
set -euo pipefail

name=lab default_port=5188
# shellcheck source=scripts/benchmark-twin.sh
. "$(dirname "${BASH_SOURCE[0]}")/benchmark-twin.sh"
runs=${1:-1}
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

modes=${BENCHMARK_MODES:-plain mitogen}
declare -A table
for mode in $modes; do
    case $mode in
        plain) export HYBRIDLAB_MITOGEN=false ;;
        mitogen) export HYBRIDLAB_MITOGEN=true ;;
        *) echo "unknown mode in BENCHMARK_MODES: $mode (plain or mitogen)" >&2; exit 2 ;;
    esac
    for run in $(seq 1 "$runs"); do
        logs=$out/lab-$stamp-$mode-$run
        build=$(playbook "$logs-build.log" site.yml)
        grep -q "across the VPN: 0% loss" "$logs-build.log" || { echo "no verified ping ($mode, run $run)" >&2; exit 1; }
        rerun=$(playbook "$logs-rerun.log" site.yml)
        changed=$(awk '/^[A-Za-z0-9-]+ +: ok=/ { sub(/.*changed=/, ""); n += $1 } END { print n + 0 }' "$logs-rerun.log")
        [ "$changed" -eq 0 ] || { echo "the rerun changed $changed things ($mode, run $run; see $logs-rerun.log)" >&2; exit 1; }
        one=$(playbook "$logs-task1.log" scripts/benchmark-tasks.yml -e benchmark_runs=1)
        eleven=$(playbook "$logs-task11.log" scripts/benchmark-tasks.yml -e benchmark_runs=11)
        task=$(awk -v a="$eleven" -v b="$one" 'BEGIN { printf "%.1f", (a - b) / 10 }')
        memory=$("$bin/python" -m labbox appliance ssh -- free -m | awk '/^Mem:/ { print $3 " MiB used of " $2 " MiB" }')
        start=$(date +%s.%N)
        playbook "$logs-down.log" playbooks/teardown.yml >/dev/null
        "$bin/python" -m labbox stop >/dev/null
        down=$(seconds "$start")
        ratio=$(awk -v a="$rerun" -v b="$build" 'BEGIN { printf "%.2f", a / b }')
        say "$mode run $run: build ${build} s, rerun ${rerun} s (${ratio} of build, changed=0), one task on an instance ${task} s, down ${down} s; guest memory with the lab up: $memory"
        table[$mode]="$build|$rerun (changed=$changed)|$ratio|$down|$task"
    done
done

say ""
say "| figure | $(for mode in $modes; do printf '%s | ' "$mode"; done)goal |"
say "|---|$(for mode in $modes; do printf -- '---|'; done)---|"
row=0
for figure in "site.yml, nothing to verified ping (s)|<= 180" "no-change rerun (s)|<= 45, changed=0" \
              "rerun / build|<= 0.25" "make lab-down (s)|<= 30" "one task on an instance (s)|<= 2"; do
    row=$((row + 1))
    line="| ${figure%%|*} | "
    for mode in $modes; do line+="$(cut -d'|' -f"$row" <<<"${table[$mode]}") | "; done
    say "$line${figure#*|} |"
done
say "report: $report"
