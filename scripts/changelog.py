#!/usr/bin/env python3
"""Write CHANGELOG.md from changelogs/: the releases, and what the release being prepared brings.

`antsibull-changelog generate` renders only the releases in changelogs/changelog.yaml, so on
its own CHANGELOG.md would not show the fragments in changelogs/fragments/. While galaxy.yml's
version is not released, this script copies the collection into a temporary directory, runs
`antsibull-changelog release` there for that version (its fragment changelogs/fragments/<version>.yml
says it is not released yet), then `antsibull-changelog generate`, and keeps only the CHANGELOG.md
written there. The repository's changelog.yaml and fragments are left as they are. At a
released version it is `antsibull-changelog generate` alone.

    scripts/changelog.py           # write CHANGELOG.md
    scripts/changelog.py --check   # exit 1, naming CHANGELOG.md, when it differs from what would be written
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHANGELOG = ROOT / "CHANGELOG.md"
# What antsibull-changelog reads: the collection's metadata, the plugins (ansible-doc lists them
# with their version_added), the roles, and changelogs/ itself.
COPIED = ("galaxy.yml", "meta", "plugins", "roles", "changelogs")


def tool(name: str) -> str:
    """A command of the Python environment running this script, else of PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed: pip install the test extra of pyproject.toml")
    return found


def fragments(changelogs: Path) -> list[Path]:
    """The changes not released yet (changelogs/config.yaml ignores other extensions)."""
    return sorted(p for p in (changelogs / "fragments").glob("*") if p.suffix in (".yml", ".yaml"))


def render() -> str:
    """The CHANGELOG.md that changelogs/ and the plugins' version_added give."""
    version = str(yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"])
    released = yaml.safe_load((ROOT / "changelogs" / "changelog.yaml").read_text()).get("releases") or {}
    pending = fragments(ROOT / "changelogs")
    if pending and version in released:
        sys.exit(f"galaxy.yml's version {version} is released already, but changelogs/fragments/ holds "
                 f"changes since: raise galaxy.yml's version")
    if version not in released and not any(p.stem == version for p in pending):
        sys.exit(f"changelogs/fragments/{version}.yml is missing: its release_summary says that "
                 f"{version} is not released yet")
    command = [tool("antsibull-changelog")]
    doc = ["--ansible-doc-bin", tool("ansible-doc")]
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    # ansible-core warns about every strategy plugin outside ansible.builtin when it lists the
    # collection's plugins; it says nothing about this changelog.
    env["ANSIBLE_DEPRECATION_WARNINGS"] = "false"
    with tempfile.TemporaryDirectory(prefix="changelog-") as tmp:
        copy = Path(tmp) / "aws"
        copy.mkdir()
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".plugin-cache.yaml")
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=ignore)
            else:
                shutil.copy2(source, copy / name)
        steps = []
        if version not in released:
            steps.append(command + ["release", "--version", version, "--reload-plugins"] + doc)
        steps.append(command + ["generate"] + doc)
        for step in steps:
            result = subprocess.run(step, cwd=copy, env=env, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                sys.exit(f"{' '.join(step[1:2])} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        return (copy / "CHANGELOG.md").read_text()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if CHANGELOG.md is stale")
    args = parser.parse_args()
    text = render()
    current = CHANGELOG.read_text() if CHANGELOG.exists() else ""
    if text == current:
        return 0
    if args.check:
        diff = difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                    "CHANGELOG.md", "CHANGELOG.md (from changelogs/)")
        sys.stdout.writelines(diff)
        print(f"{CHANGELOG.relative_to(ROOT)} is stale: run scripts/changelog.py", file=sys.stderr)
        return 1
    CHANGELOG.write_text(text)
    print(f"wrote {CHANGELOG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
