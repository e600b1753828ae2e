#!/usr/bin/env bash
# Run ansible-test on the collection as it ships.
#
#   scripts/ansible-test.sh sanity   # every sanity test on the plugins, Python 3.11
#   scripts/ansible-test.sh units    # the plugins' unit tests under ansible-test
#   scripts/ansible-test.sh -- ARGS  # any other ansible-test command line
#
# ansible-test only runs inside a directory named .../ansible_collections/<namespace>/<name>.
# It resolves symlinks, so a link back to the repository is not enough, and inside a git
# checkout it lists files with git, which ignores a build/ directory. So the script builds the
# collection tarball (galaxy.yml's build_ignore applies: the offline twin and local environments
# stay out) and unpacks it into a temporary .../ansible_collections/hybridlab/aws outside the
# checkout. The results (tests/output/) are copied back to the repository's tests/output/.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${VENV_BIN:-$repo/.venv/bin}
python_version=3.11
build=$(mktemp -d "${TMPDIR:-/tmp}/hybridlab-ansible-test.XXXXXX")
tree=$build/ansible_collections/hybridlab/aws

finish() {
  if [ -d "$tree/tests/output" ]; then
    mkdir -p "$repo/tests/output"
    cp -a "$tree/tests/output/." "$repo/tests/output/"
  fi
  rm -rf "$build"
}
trap finish EXIT

# ansible-test keeps its per-test virtual environments under ~/.ansible/test. A home of its own
# in the repository's cache keeps them (and pip's download cache) out of the user's home and
# lets the get-pip stand-in below apply to these runs only.
# ansible-test passes pip only HOME and PATH, so the user's pip configuration (index, proxy
# certificates) is linked into that home for pip to find as usual.
user_home=$HOME
export HOME=${ANSIBLE_TEST_HOME:-$repo/.cache/ansible-test}
mkdir -p "$HOME/.config"
for pip_config in .config/pip .pip; do
  if [ -e "$user_home/$pip_config" ] && [ ! -e "$HOME/$pip_config" ]; then
    ln -s "$user_home/$pip_config" "$HOME/$pip_config"
  fi
done

# Each sanity environment is bootstrapped with a get-pip.py that ansible-test downloads from a
# CI file server, which is unreachable here; the stand-in installs pip from Python's own bundled
# wheel and then uses the package index, see scripts/ansible_test_pip_bootstrap.py.
install_pip_bootstrap() {
  local pip_version cache
  pip_version=$("$bin/python" -c '
import types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version="'"$python_version"'"))["pip"])')
  cache=$HOME/.ansible/test/cache
  mkdir -p "$cache"
  cp "$repo/scripts/ansible_test_pip_bootstrap.py" "$cache/get_pip_${pip_version//./_}.py"
}

# ansible-test finds a collection's dependencies only beside it, in the same ansible_collections
# directory; they are linked there from where the `ansible` package installed them.
dependencies=(amazon/aws ansible/posix)

prepare_tree() {
  local installed
  mkdir -p "$build/tarball" "$tree"
  "$bin/ansible-galaxy" collection build --force --output-path "$build/tarball" "$repo" >/dev/null
  tar -xzf "$build"/tarball/hybridlab-aws-*.tar.gz -C "$tree"
  installed=$("$bin/python" -c 'import ansible_collections.amazon.aws as c, pathlib; print(pathlib.Path(c.__path__[0]).parents[1])')
  for dependency in "${dependencies[@]}"; do
    mkdir -p "$build/ansible_collections/${dependency%/*}"
    ln -s "$installed/$dependency" "$build/ansible_collections/$dependency"
  done
}

# `sanity` checks the collection's Python plugins, their unit tests and the runtime metadata
# (extra arguments are ansible-test options such as --test NAME or -v); use `-- sanity PATH...`
# to check other paths. No test is skipped: --python keeps the Python-version-specific tests
# (compile, import) to the controller's 3.11, and the package index serves every test's
# requirements. Tests with no file to check among the targets (changelog, empty-init, pslint
# and the shell script linter) report "No tests applicable".
sanity_targets=(plugins/ meta/ tests/unit/conftest.py tests/unit/plugins/)

run_sanity() {
  "$bin/ansible-test" sanity --python "$python_version" --color no "$@" "${sanity_targets[@]}"
}

# `units` runs the plugins' unit tests, which are written to run under both ansible-test and
# plain pytest; use `-- units PATH...` for others.
units_targets=(tests/unit/plugins/)

run_units() {
  "$bin/ansible-test" units --python "$python_version" --color no "$@" "${units_targets[@]}"
}

command=${1:-}
shift $(($# > 0 ? 1 : 0))
case "$command" in
  sanity) install_pip_bootstrap; prepare_tree; cd "$tree"; run_sanity "$@" ;;
  units) prepare_tree; cd "$tree"; run_units "$@" ;;
  --) install_pip_bootstrap; prepare_tree; cd "$tree"; "$bin/ansible-test" "$@" ;;
  *) echo "usage: $0 sanity|units [ansible-test options] | -- ansible-test arguments" >&2; exit 2 ;;
esac
