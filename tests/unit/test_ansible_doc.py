"""Every plugin and role of hybridlab.aws renders with ansible-doc, and the collection builds.

The plugins are listed from the files under plugins/, not from ansible-doc's own listing, so a
plugin that ansible-doc cannot see (no documentation, a name it does not load) fails here rather
than being left out. ansible-doc finds the collection as the playbooks do: through ansible.cfg,
whose collections_path names collections/ (a link back to this repository).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NAMESPACE = "hybridlab.aws"

# The built collection (what ansible-test runs from) has no galaxy.yml, and galaxy.yml's
# build_ignore leaves out the collections/ link that ansible.cfg names.
pytestmark = pytest.mark.skipif(not (ROOT / "collections").is_dir() or not (ROOT / "galaxy.yml").is_file(),
                                reason="needs the source tree, not the built collection")

# plugins/<directory> -> ansible-doc's type. Filters and tests are listed by what their files
# return, the other types one plugin per file.
DOCUMENTED = {
    "modules": "module",
    "filter": "filter",
    "test": "test",
    "lookup": "lookup",
    "strategy": "strategy",
    "inventory": "inventory",
    "callback": "callback",
    "connection": "connection",
    "become": "become",
    "cache": "cache",
    "vars": "vars",
}
# Code the plugins share or that runs on behalf of a module: no documentation of its own.
UNDOCUMENTED = {"module_utils", "plugin_utils", "doc_fragments", "action"}


def _jinja_plugin_names(directory: Path, class_name: str, method: str) -> set[str]:
    """Filter or test names: what each file's FilterModule/TestModule returns, and the names
    documented in .yml files beside them (a document without its plugin must fail too)."""
    names = {path.stem for path in directory.glob("*.yml")}
    package = f"ansible_collections.{NAMESPACE}.plugins.{directory.name}"
    for path in sorted(directory.glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"{package}.{path.stem}")
        names |= set(getattr(getattr(module, class_name)(), method)())
    return names


def plugins() -> dict[str, list[str]]:
    """ansible-doc type -> the collection's plugin names of that type, from plugins/."""
    found: dict[str, set[str]] = {}
    for directory in sorted(p for p in (ROOT / "plugins").iterdir() if p.is_dir() and p.name != "__pycache__"):
        if directory.name in UNDOCUMENTED:
            continue
        assert directory.name in DOCUMENTED, (
            f"plugins/{directory.name}: a plugin type this test does not know; add it to DOCUMENTED")
        kind = DOCUMENTED[directory.name]
        if kind == "filter":
            names = _jinja_plugin_names(directory, "FilterModule", "filters")
        elif kind == "test":
            names = _jinja_plugin_names(directory, "TestModule", "tests")
        else:
            names = {p.stem for p in directory.glob("*.py") if not p.name.startswith("_")}
        if names:
            found[kind] = names
    return {kind: sorted(names) for kind, names in found.items()}


def roles() -> list[str]:
    return sorted(p.name for p in (ROOT / "roles").iterdir() if p.is_dir())


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update(ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return env


def _ansible_doc(kind: str, names: list[str], cwd: Path) -> list[str]:
    """Problems of `ansible-doc -t kind` over the names: a non-zero exit, anything on stderr
    (warnings and deprecations included), a name whose page is missing."""
    command = [str(BIN / "ansible-doc"), "-t", kind] + [f"{NAMESPACE}.{name}" for name in names]
    result = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120, check=False)
    problems = []
    if result.returncode != 0:
        problems.append(f"exit {result.returncode}")
    if result.stderr.strip():
        problems.append(result.stderr.strip())
    headers = [line for line in result.stdout.splitlines() if line.startswith("> ")]
    for name in names:
        if not any(f"{NAMESPACE}.{name}" in line for line in headers):
            problems.append(f"no page for {NAMESPACE}.{name}")
    return problems


def _check(kind: str, names: list[str], tmp_path: Path) -> None:
    # One ansible-doc for all the names of a type; it stops at the first plugin it cannot render,
    # so after a failure each name is run alone to report every broken one.
    if not _ansible_doc(kind, names, tmp_path):
        return
    failures = {name: _ansible_doc(kind, [name], tmp_path) for name in names}
    report = [f"ansible-doc -t {kind} {NAMESPACE}.{name}: " + "; ".join(problems)
              for name, problems in failures.items() if problems]
    assert report, f"ansible-doc -t {kind} failed over {names}, but not for any one of them alone"
    pytest.fail("\n".join(report))


PLUGINS = plugins()


def test_plugins_are_found():
    assert PLUGINS.get("module") and PLUGINS.get("filter"), PLUGINS


@pytest.mark.parametrize("kind", sorted(PLUGINS))
def test_ansible_doc_renders_every_plugin(kind, tmp_path):
    _check(kind, PLUGINS[kind], tmp_path)


def test_ansible_doc_renders_every_role(tmp_path):
    names = roles()
    missing = [name for name in names if not (ROOT / "roles" / name / "meta" / "argument_specs.yml").is_file()]
    assert not missing, f"roles without meta/argument_specs.yml: {missing}"
    _check("role", names, tmp_path)


def test_collection_builds(tmp_path):
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    result = subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path), str(ROOT)],
        cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not result.stderr.strip(), result.stderr
    tarball = tmp_path / f"{galaxy['namespace']}-{galaxy['name']}-{galaxy['version']}.tar.gz"
    assert tarball.is_file(), sorted(p.name for p in tmp_path.iterdir())
    with tarfile.open(tarball) as archive:
        members = set(archive.getnames())
    top = {name.split("/", 1)[0] for name in members}
    for wanted in ("MANIFEST.json", "FILES.json", "README.md", "CHANGELOG.md", "changelogs/changelog.yaml",
                   "meta/runtime.yml"):
        assert wanted in members, f"{wanted} is not in {tarball.name}"
    for kind_dir in ("modules", "filter", "lookup", "strategy"):
        for path in (ROOT / "plugins" / kind_dir).glob("*.py"):
            assert f"plugins/{kind_dir}/{path.name}" in members, f"{path.relative_to(ROOT)} is not in {tarball.name}"
    # galaxy.yml's build_ignore keeps the twin, the tooling and local environments out.
    for ignored in ("labbox", "scripts", "Makefile", "pyproject.toml", "collections", "build", ".venv"):
        assert ignored not in top, f"{ignored} is in {tarball.name} despite build_ignore"
    assert "changelogs/.plugin-cache.yaml" not in members
