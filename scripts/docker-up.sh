#!/usr/bin/env bash
# Makes a fresh Debian 12 machine (as root) ready for the role tests: the Docker engine and
# mmdebstrap from Debian's packages, a running dockerd and the offline test image
# (scripts/molecule-image.sh) for the molecule scenarios, and Debian's libreswan, whose
# `ipsec addconn --checkconfig` and `ipsec algparse` the openswan unit tests run against the
# rendered configuration (nothing of it is started). Safe to run again: every step is skipped
# when its result is already there.
#
# dockerd is started in the background (no systemd as PID 1 here, and the SysV init script
# fails on `ulimit`); its PID is written to $DOCKERD_PIDFILE and its log to $DOCKERD_LOG.
set -euo pipefail

DOCKERD_PIDFILE=${DOCKERD_PIDFILE:-/run/hybridlab-dockerd.pid}
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/hybridlab-dockerd.log}
DOCKERD_WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-60}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf 'docker-up: %s\n' "$*" >&2; }

ensure_dockerd() {
    if docker info >/dev/null 2>&1; then
        return 0
    fi
    log "starting dockerd (log: $DOCKERD_LOG)"
    nohup dockerd >"$DOCKERD_LOG" 2>&1 &
    echo $! >"$DOCKERD_PIDFILE"
    local deadline=$((SECONDS + DOCKERD_WAIT_SECONDS))
    until docker info >/dev/null 2>&1; do
        if ! kill -0 "$(cat "$DOCKERD_PIDFILE")" 2>/dev/null; then
            log "dockerd exited; last lines of its log:"
            tail -n 20 "$DOCKERD_LOG" >&2
            return 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "dockerd did not answer within ${DOCKERD_WAIT_SECONDS}s"
            return 1
        fi
        sleep 0.5
    done
    log "dockerd is up (pid $(cat "$DOCKERD_PIDFILE"))"
}

"$here/test-packages.sh"
ensure_dockerd
"$here/molecule-image.sh"
