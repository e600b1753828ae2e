#!/usr/bin/env bash
# Benchmark of a class on the offline twin (not a test: it prints figures, it judges nothing).
#
#   scripts/benchmark-class.sh [N]
#
# In a twin of its own (own port, state directory and labs; the appliance image from the usual
# cache), with the guest booted first so that both classes start from the same twin:
#   class of 1  playbooks/class.yml class_action=up (the lab built, configured, verified), then down
#   class of N  the same with N learners (default 3) built side by side, then status and down
# and the guest's memory (free -m) before any lab and with each class up. The VPC quota is raised
# first through Service Quotas, as an instructor would on an account (N s2s labs need 2N VPCs).
# Each `up` also reports the CPU it took, by who: the guest (the QEMU process), the twin's server
# and the controller (ansible-playbook and the learners' runs it waits for): with two cores, the
# sum over two is the least wall time any schedule could reach.
# Figures go to stdout and to build/benchmark/class-<time>.txt; the playbooks' logs beside it,
# with each learner's own site.yml run of each `up` (class-<time>-<N>-up-<lab>.log).
set -euo pipefail

name=class default_port=5189
# shellcheck source=scripts/benchmark-twin.sh
. "$(dirname "${BASH_SOURCE[0]}")/benchmark-twin.sh"
learners=${1:-3}
memory() { "$bin/python" -m labbox appliance ssh -- free -m | awk '/^Mem:/ { print $3 }'; }
cpu_of() { awk '{ printf "%.1f", ($14 + $15) / 100 }' "/proc/$1/stat"; }  # user+system seconds of PID
class() {  # class LOG FILE ACTION: runs it, prints its wall time; fails on a failed run
    local log=$1 file=$2 action=$3 start guest server
    start=$(date +%s.%N) guest=$(cpu_of "$qemu") server=$(cpu_of "$twin")
    # In a subshell of its own, whose `times` (second line: its children's user and system time,
    # as "1m2.345s 0m6.789s") is the CPU of ansible-playbook and every run it waited for.
    ( "$bin/ansible-playbook" playbooks/class.yml -e "class_file=$file" -e "class_action=$action" >"$log" 2>&1 \
        || exit 1; times >"$log.times" ) || { echo "failed: class $action of $file (see $log)" >&2; exit 1; }
    seconds "$start"
    # The run's CPU, by who, in LOG.cpu for `cpu LOG` to print.
    awk -v g="$(cpu_of "$qemu")" -v g0="$guest" -v s="$(cpu_of "$twin")" -v s0="$server" '
        function secs(t) { split(t, part, /[ms]/); return part[1] * 60 + part[2] }
        NR == 2 { c = secs($1) + secs($2)
                  printf "CPU guest %.1f s, twin %.1f s, controller %.1f s: over two cores at least %.1f s\n",
                         g - g0, s - s0, c, (g - g0 + s - s0 + c) / 2 }' "$log.times" >"$log.cpu"
    rm -f "$log.times"
}
cpu() { cat "$1.cpu"; }
# Each learner's own run of the last `up`: its task timer's table says where the time went.
keep_learner_logs() {  # keep_learner_logs PREFIX
    local log
    for log in "$HYBRIDLAB_STATE_DIR"/*/class-up.log; do
        [ -e "$log" ] && mv "$log" "$1-$(basename "$(dirname "$log")").log"
    done
}
class_file() {  # class_file PATH NAME COUNT
    { echo "class_name: $2"; echo "lab: s2s"; echo "parallel: $3"; echo "learners:"
      for n in $(seq 1 "$3"); do echo "  - name: l$n"; done; } >"$1"
}

say "hybridlab class benchmark, $stamp, $(nproc) cores, $(uname -r), classes of 1 and $learners s2s labs"
"$bin/python" -m labbox appliance build >/dev/null
"$bin/python" -m labbox start >/dev/null
"$bin/python" -m labbox dataplane up >/dev/null
"$bin/python" -m labbox dataplane wait --no-instances >/dev/null
qemu=$("$bin/python" -m labbox appliance status | grep -o 'pid [0-9]*' | cut -d' ' -f2)
twin=$(cat "$LABBOX_HOME/labbox.pid")
base=$(memory)
say "guest booted, no lab: $base MiB used"
"$bin/python" - "$LABBOX_PORT" "$((2 * learners + 1))" <<'PY'
import sys, time
import boto3
quotas = boto3.client("service-quotas", region_name="ap-northeast-2", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}",
                      aws_access_key_id="labbox", aws_secret_access_key="labbox")
quotas.request_service_quota_increase(ServiceCode="vpc", QuotaCode="L-F678F1CE", DesiredValue=float(sys.argv[2]))
while quotas.get_service_quota(ServiceCode="vpc", QuotaCode="L-F678F1CE")["Quota"]["Value"] < float(sys.argv[2]):
    time.sleep(1)
PY

logs=$out/class-$stamp
class_file "$state/one.yml" one 1
class_file "$state/many.yml" many "$learners"
one=$(class "$logs-1-up.log" "$state/one.yml" up)
keep_learner_logs "$logs-1-up"
one_memory=$(memory)
one_down=$(class "$logs-1-down.log" "$state/one.yml" down)
say "class of 1: up ${one} s (guest $one_memory MiB used, $((one_memory - base)) MiB for the lab), down ${one_down} s"
say "  up: $(cpu "$logs-1-up.log")"
many=$(class "$logs-$learners-up.log" "$state/many.yml" up)
keep_learner_logs "$logs-$learners-up"
many_memory=$(memory)
status=$(class "$logs-$learners-status.log" "$state/many.yml" status)
grep -q "class many: $learners lab(s), $learners healthy" "$logs-$learners-status.log" \
    || { echo "the class of $learners is not healthy (see $logs-$learners-status.log)" >&2; exit 1; }
many_down=$(class "$logs-$learners-down.log" "$state/many.yml" down)
per_lab=$(( (many_memory - base) / learners ))
say "class of $learners: up ${many} s (guest $many_memory MiB used, $per_lab MiB per lab), status ${status} s, down ${many_down} s"
say "  up: $(cpu "$logs-$learners-up.log")"
say "class of $learners / class of 1, up: $(awk -v a="$many" -v b="$one" 'BEGIN { printf "%.2f", a / b }') (goal <= 2)"
say "report: $report"
