#!/usr/bin/env bash
# Builds the container image the molecule scenarios run on, without any container registry:
# a minimal Debian root filesystem made by mmdebstrap from the Debian mirror this machine's
# apt already uses, imported with `docker import`. systemd runs as PID 1 in it, so roles
# manage services as on a real host.
#
# The image carries a label with the hash of this recipe; it is rebuilt only when the
# recipe changed (or with --force). Usage: molecule-image.sh [--force]
set -euo pipefail

IMAGE=${MOLECULE_IMAGE:-hybridlab/molecule-debian:12}
SUITE=${MOLECULE_IMAGE_SUITE:-bookworm}
# What a minimal EC2-like host needs for Ansible and systemd, and nftables, which the openswan
# role's TCP MSS clamp uses and installs only where it is missing (as on the twin's
# instances, which have it); the roles install the rest.
PACKAGES=python3,python3-apt,systemd,systemd-sysv,dbus,iproute2,procps,sudo,nftables
LABEL=org.hybridlab.recipe-sha256

log() { printf 'molecule-image: %s\n' "$*" >&2; }

recipe_hash() {
    { cat "${BASH_SOURCE[0]}"; printf '%s\n' "$IMAGE" "$SUITE" "$PACKAGES"; } | sha256sum | cut -d' ' -f1
}

# Prints mmdebstrap mirror lines ("deb URI SUITE main") for $SUITE, its -updates and
# -security suites, read from both apt source formats (one-line .list and deb822 .sources).
debian_mirror_lines() {
    local files=()
    [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && files+=("$f")
    done
    [ ${#files[@]} -gt 0 ] || return 0
    awk -v suite="$SUITE" '
        function wanted(s) { return s == suite || s == suite "-updates" || s == suite "-security" }
        function emit(uri, s) { if (wanted(s) && !seen[uri " " s]++) print "deb " uri " " s " main" }
        # A new file or a blank line ends a deb822 stanza (mawk has no ENDFILE).
        FNR == 1 { flush() }
        # deb822 stanzas: Types/URIs/Suites fields.
        FILENAME ~ /\.sources$/ {
            if ($0 ~ /^[[:space:]]*$/) { flush(); next }
            if ($1 == "Types:") types = $0
            if ($1 == "URIs:") { uris = ""; for (i = 2; i <= NF; i++) uris = uris " " $i }
            if ($1 == "Suites:") { suites = ""; for (i = 2; i <= NF; i++) suites = suites " " $i }
            if ($1 == "Enabled:" && tolower($2) == "no") disabled = 1
            next
        }
        # one-line format: deb [options] URI SUITE COMPONENTS...
        $1 == "deb" {
            i = 2
            if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
            emit($i, $(i + 1))
        }
        function flush(   u, s, nu, ns, k, j) {
            if (types ~ /(^|[[:space:]])deb([[:space:]]|$)/ && !disabled) {
                nu = split(uris, u, " "); ns = split(suites, s, " ")
                for (k = 1; k <= nu; k++) for (j = 1; j <= ns; j++) emit(u[k], s[j])
            }
            types = ""; uris = ""; suites = ""; disabled = 0
        }
        END { flush() }
    ' "${files[@]}"
}

force=false
[ "${1:-}" = --force ] && force=true

want=$(recipe_hash)
# No image yet means no recipe label: build it.
have=
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    have=$(docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE")
fi
if [ "$force" = false ] && [ "$have" = "$want" ]; then
    log "$IMAGE is up to date"
    exit 0
fi

mapfile -t mirrors < <(debian_mirror_lines)
if [ ${#mirrors[@]} -eq 0 ]; then
    log "no apt source for $SUITE found in /etc/apt/sources.list*"
    exit 1
fi
log "building $IMAGE from: ${mirrors[*]}"

start=$SECONDS
mmdebstrap --quiet --variant=minbase --include="$PACKAGES" \
    --customize-hook='echo "molecule" > "$1/etc/hostname"' \
    "$SUITE" - "${mirrors[@]}" |
    docker import \
        --change 'CMD ["/lib/systemd/systemd"]' \
        --change 'ENV container=docker' \
        --change "LABEL $LABEL=$want" \
        - "$IMAGE" >/dev/null
log "built $IMAGE in $((SECONDS - start))s"
