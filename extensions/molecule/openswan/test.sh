#!/usr/bin/env bash
# The hybridlab.aws.openswan scenario from a fresh Debian 12 machine (as root): makes sure Docker
# and the offline image exist (scripts/docker-up.sh), then runs the scenario, which runs in diff
# mode throughout, and checks that none of its pre-shared keys shows in the output.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/../../../scripts/docker-up.sh"

# Every PSK in the scenario's vars files, e.g. Molecule.tunnel1_first.
psks=$(grep -ho 'pre_shared_key: *[^ ]*' "$here"/vars/*.yml | awk '{print $2}' | sort -u | tr '\n' ' ')
exec "$here/../run-scenario.sh" openswan "$psks"
