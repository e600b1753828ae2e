#!/usr/bin/env bash
# The whole-lab scenario on the offline twin, in a twin of its own (own port and state
# directory, the appliance image from the usual cache), with pre-shared keys it sets so that
# the output can be searched for them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=$(mktemp -d)
export LABBOX_HOME=$state/labbox HYBRIDLAB_STATE_DIR=$state/lab
export LABBOX_PORT=${LABBOX_PORT:-5199}
# Whatever happens, nothing of this run may keep running.
trap '"${VENV_BIN:-$here/../../../.venv/bin}/python" -m labbox stop >/dev/null; rm -rf "$state"' EXIT

psks=(molecule.lab_key1 molecule.lab_key2)
"$here/../run-scenario.sh" lab "${psks[*]}" -- -e "{\"vpn_tunnel_psks\": [\"${psks[0]}\", \"${psks[1]}\"]}"
