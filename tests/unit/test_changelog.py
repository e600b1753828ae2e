"""The changelog: fragments and changelog.yaml pass antsibull-changelog's lint, CHANGELOG.md is what
they give (scripts/changelog.py), and every plugin's version_added fits the releases.

A plugin's version_added is either a released version, and then changelog.yaml lists the plugin
among that release's new plugins, or galaxy.yml's version, the release being prepared.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# The built collection (what ansible-test runs from) has no galaxy.yml, and galaxy.yml's
# build_ignore leaves out scripts/, which these tests drive.
pytestmark = pytest.mark.skipif(not (ROOT / "scripts").is_dir() or not (ROOT / "galaxy.yml").is_file(),
                                reason="needs the source tree, not the built collection")


def _yaml(path: Path):
    return yaml.safe_load(path.read_text()) if path.is_file() else {}


GALAXY = _yaml(ROOT / "galaxy.yml")
RELEASES = _yaml(ROOT / "changelogs" / "changelog.yaml").get("releases") or {}
# plugins/<directory> -> the plugin type changelog.yaml files them under ("modules" apart).
TYPES = {"modules": "module", "filter": "filter", "test": "test", "lookup": "lookup", "strategy": "strategy",
         "inventory": "inventory", "callback": "callback", "connection": "connection", "become": "become",
         "cache": "cache", "vars": "vars"}


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def documentation() -> dict[tuple[str, str], dict]:
    """(type, name) -> the DOCUMENTATION of every plugin documented under plugins/."""
    docs = {}
    for directory, kind in TYPES.items():
        for path in sorted((ROOT / "plugins" / directory).glob("*.py")):
            if path.name.startswith("_"):
                continue
            for node in ast.parse(path.read_text()).body:
                targets = [getattr(target, "id", None) for target in getattr(node, "targets", [])]
                if isinstance(node, ast.Assign) and "DOCUMENTATION" in targets:
                    docs[(kind, path.stem)] = yaml.safe_load(ast.literal_eval(node.value))
        # Filters and tests keep their documentation in a YAML file per name.
        for path in sorted((ROOT / "plugins" / directory).glob("*.yml")):
            docs[(kind, path.stem)] = yaml.safe_load(path.read_text())["DOCUMENTATION"]
    return docs


def released_plugins(version: str) -> set[tuple[str, str]]:
    release = RELEASES.get(version) or {}
    listed = {("module", entry["name"]) for entry in release.get("modules") or []}
    for kind, entries in (release.get("plugins") or {}).items():
        listed |= {(kind, entry["name"]) for entry in entries}
    return listed


def test_fragments_pass_lint():
    result = _run(str(BIN / "antsibull-changelog"), "lint")
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_changelog_yaml_passes_lint():
    result = _run(str(BIN / "antsibull-changelog"), "lint-changelog-yaml", "changelogs/changelog.yaml")
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_changelog_md_is_generated():
    # scripts/changelog.py renders into a temporary copy of the collection and compares.
    result = _run(sys.executable, str(ROOT / "scripts" / "changelog.py"), "--check")
    assert result.returncode == 0, result.stdout[:6000] + result.stderr


def test_galaxy_version_follows_the_releases():
    version = str(GALAXY["version"])
    assert all(Version(version) >= Version(released) for released in RELEASES), (version, sorted(RELEASES))
    # At a released version (the release itself) there is nothing unreleased; changes after it
    # belong to the next version.
    fragments = sorted(p.name for p in (ROOT / "changelogs" / "fragments").glob("*.y*ml"))
    assert version not in RELEASES or not fragments, (
        f"galaxy.yml's version {version} is released already, but changelogs/fragments/ holds {fragments}: raise it")


def test_version_added_fits_the_releases():
    galaxy_version = str(GALAXY["version"])
    docs = documentation()
    assert docs, "no plugin documentation found under plugins/"
    problems = []
    for (kind, name), doc in sorted(docs.items()):
        added = str(doc.get("version_added", ""))
        label = f"{kind} {name}: version_added {added or 'missing'}"
        if not added:
            problems.append(label)
        elif Version(added) > Version(galaxy_version):
            problems.append(f"{label} is after galaxy.yml's version {galaxy_version}")
        elif added != galaxy_version and added not in RELEASES:
            problems.append(f"{label} is neither a release in changelogs/changelog.yaml "
                            f"nor galaxy.yml's {galaxy_version}")
        elif added in RELEASES and (kind, name) not in released_plugins(added):
            problems.append(f"{label}, but changelogs/changelog.yaml does not list it among {added}'s new plugins")
    for version in RELEASES:
        for kind, name in sorted(released_plugins(version)):
            doc = docs.get((kind, name))
            if doc is not None and str(doc.get("version_added")) != version:
                problems.append(f"{kind} {name}: new in {version} by changelogs/changelog.yaml, "
                                f"version_added {doc.get('version_added')}")
    assert not problems, "\n".join(problems)
