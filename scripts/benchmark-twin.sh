# shellcheck shell=bash
# Sourced by the benchmarks (scripts/benchmark-lab.sh, benchmark-class.sh) after setting `name`
# (the report's prefix) and `default_port`: a twin of their own (own port, state directory and
# labs) stopped and removed on exit, the report file, and the helpers they share.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bin=$repo/.venv/bin
out=$repo/build/benchmark
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report=$out/$name-$stamp.txt
state=$(mktemp -d)
export LABBOX_HOME=$state/labbox HYBRIDLAB_STATE_DIR=$state/lab LABBOX_PORT=${LABBOX_PORT:-$default_port}
export ANSIBLE_CONFIG=$repo/ansible.cfg ANSIBLE_NOCOLOR=1 AWS_EC2_METADATA_DISABLED=true
cleanup() { "$bin/python" -m labbox stop >/dev/null 2>&1 || echo "labbox stop failed; see $LABBOX_HOME" >&2; rm -rf "$state"; }
trap cleanup EXIT

say() { echo "$*" | tee -a "$report"; }
seconds() { local start=$1; awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
