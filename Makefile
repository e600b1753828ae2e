# hybridlab.aws: `make lab` builds the whole lab on the offline twin, `make test` proves it.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The venv is rebuilt when the Python dependencies change (the collection's or the twin's).
VENV_STAMP := $(VENV)/.installed-$(shell cat pyproject.toml labbox/pyproject.toml | sha256sum | cut -c1-16)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(VENV_STAMP): pyproject.toml labbox/pyproject.toml
	scripts/bootstrap.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' -e './labbox[test]'
	rm -f $(VENV)/.installed-*
	touch $@

.PHONY: venv
venv: $(VENV_STAMP) ## Create the Python environment (Ansible, moto, linters)

.PHONY: lab
lab: venv appliance-packages ## Build the whole lab on the offline twin and verify it with a ping through the tunnel
	$(BIN)/ansible-playbook site.yml

.PHONY: status
status: venv ## The lab as it stands: health, tunnels, instances, cost, leftovers (changes nothing)
	$(BIN)/ansible-playbook playbooks/status.yml

.PHONY: lab-down
lab-down: venv ## Remove the lab, prove nothing is left, stop the twin and its data plane
	$(BIN)/ansible-playbook playbooks/teardown.yml
	$(BIN)/python -m labbox stop

.PHONY: benchmark
benchmark: venv appliance-packages ## Time make lab: build, no-change rerun, teardown (scripts/benchmark-lab.sh)
	scripts/benchmark-lab.sh

.PHONY: benchmark-class
benchmark-class: venv appliance-packages ## Time a class of 1 and of 3 labs on the twin, with the guest's memory per lab (scripts/benchmark-class.sh)
	scripts/benchmark-class.sh

.PHONY: class
class: venv appliance-packages ## A class of labs from CLASS_FILE (examples/class.yml): CLASS_ACTION=up|status|down (playbooks/class.yml)
	$(BIN)/ansible-playbook playbooks/class.yml -e class_action=$(or $(CLASS_ACTION),status) -e class_file=$(abspath $(or $(CLASS_FILE),examples/class.yml))

.PHONY: lint
lint: venv ## yamllint, ansible-lint (production profile), cfn-lint, changelog fragments, generated docs up to date
	$(BIN)/yamllint --strict .
	$(BIN)/ansible-lint
	$(BIN)/cfn-lint cloudformation/*.yml
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
	$(BIN)/python scripts/docs.py --check
	$(BIN)/python scripts/changelog.py --check

.PHONY: docs
docs: venv ## Role READMEs' variables from meta/argument_specs.yml, the stack table from the catalogue; CHANGELOG.md from changelogs/
	$(BIN)/python scripts/docs.py
	$(BIN)/python scripts/changelog.py

.PHONY: sanity
sanity: venv ## ansible-test sanity on the collection's plugins and metadata
	scripts/ansible-test.sh sanity

.PHONY: test-packages
test-packages: ## Debian packages the tests use on the host (libreswan, docker.io, mmdebstrap, graphviz, chromium)
	scripts/test-packages.sh

.PHONY: units
units: venv test-packages ## Unit tests: plugins, roles' templates, the twin's extensions, CloudFormation, browser pages
	$(BIN)/pytest -q -n 2 tests/unit tests/cloudformation tests/browser
	$(BIN)/pytest -q -n 2 labbox/tests/unit

.PHONY: molecule
molecule: molecule-openswan molecule-lab ## Molecule: both scenarios

.PHONY: molecule-openswan
molecule-openswan: venv test-packages ## Molecule: the openswan role in a systemd container (docker; root on a fresh machine)
	extensions/molecule/openswan/test.sh

# Not in `make test`: it builds, reruns, verifies and tears down the same S2S lab that
# tests/dataplane's first module does (with the faults on top), and CI's time is better
# spent once on that.
.PHONY: molecule-lab
molecule-lab: venv appliance-packages ## Molecule: the whole lab on the twin (create, converge, idempotence, verify, destroy)
	extensions/molecule/lab/test.sh

# Two workers, each with a twin of its own; a test file stays on one worker, as its tests
# build on each other's lab.
.PHONY: integration
integration: venv ## The playbooks against the offline twin
	$(BIN)/pytest -q -n 2 --dist loadfile --durations=8 tests/integration

.PHONY: appliance-packages
appliance-packages: ## Debian packages the data plane's guest needs on the host (QEMU, mmdebstrap, e2fsprogs, ssh)
	scripts/appliance-packages.sh

.PHONY: appliance
appliance: venv appliance-packages ## The data plane's QEMU guest: build its image (cached), boot it, check it
	$(BIN)/pytest -q labbox/tests/appliance

.PHONY: dataplane
dataplane: venv appliance-packages test-packages ## The lab end to end on the twin's data plane, and its faults
	$(BIN)/pytest -q --durations=12 tests/dataplane

# Everything runs in two lanes side by side once the machine is set up: the lab on the data
# plane (its guest's image, then the lab end to end) and every other check (lint, sanity, units,
# the playbooks against a twin of their own, molecule). Each lane has its own twins, ports and
# state directories; a lane's output is printed when each of its steps ends.
.PHONY: test
test: venv test-packages appliance-packages ## Everything CI runs (two lanes side by side)
	$(MAKE) --no-print-directory -j2 --output-sync=target test-lane-lab test-lane-checks

.PHONY: test-lane-lab test-lane-checks
# The lanes hold about the same work: the lab lane builds the guest's image (cached; builds of
# one image are serialised by a lock), checks the guest and the openswan role in its container,
# then runs the lab, its exercises and day two; the other ends with the account path's class of
# three labs (a twin and guest of its own).
test-lane-lab:
	$(BIN)/python -m labbox appliance build
	$(MAKE) --no-print-directory appliance
	$(MAKE) --no-print-directory molecule-openswan
	$(BIN)/pytest -q --durations=12 tests/dataplane --ignore=tests/dataplane/test_account_path.py

test-lane-checks:
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory sanity
	$(MAKE) --no-print-directory units
	$(MAKE) --no-print-directory integration
	$(BIN)/pytest -q --durations=8 tests/dataplane/test_account_path.py
