#!/usr/bin/env bash
# Installs the Debian packages the tests need on the host, when missing (as root):
# libreswan, whose `ipsec addconn --checkconfig` and `ipsec algparse` check the openswan role's
# rendered configuration (the service is never started), the Docker engine and mmdebstrap
# for the molecule scenarios' offline image, Graphviz to render the status run's topology picture,
# and Chromium with its WebDriver to open that picture's page headless (tests/browser).
set -euo pipefail

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
[ -x /usr/sbin/ipsec ] || missing+=(libreswan)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
# The paths tests/browser/chromium_page.py uses: Selenium never downloads a browser or driver.
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
exec "$(dirname "${BASH_SOURCE[0]}")/apt-install-missing.sh" "the tests" "${missing[@]}"
