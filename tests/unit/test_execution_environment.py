"""The execution environment: ansible-builder makes its build context from the repository's own
files, the versions it installs are pyproject.toml's, the collection carries what other
execution environments read, and ansible-navigator runs the image the definition tags.

Nothing here builds an image (that needs a container engine and the network): `ansible-builder
create` writes the build context the build would use, and `ansible-builder introspect` reads the
installed collection as a build of another execution environment would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest
import yaml
from bindep.depends import Depends
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEFINITION = yaml.safe_load((ROOT / "execution-environment.yml").read_text())
NAVIGATOR = yaml.safe_load((ROOT / "ansible-navigator.yml").read_text())["ansible-navigator"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# The dependency files, as the definition names them, by the name ansible-builder gives each in the context.
CONTEXT_NAMES = {"python": "requirements.txt", "system": "bindep.txt", "galaxy": "requirements.yml"}

# The built collection (what ansible-test runs from) has no galaxy.yml and none of these files.
pytestmark = pytest.mark.skipif(not (ROOT / "galaxy.yml").is_file() or not (ROOT / "execution-environment.yml").is_file(),
                                reason="needs the source tree, not the built collection")


def _run(*args: str | Path, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def _requirements(text: str) -> list[Requirement]:
    """The requirements of a pip requirements file (comments and blank lines apart)."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [Requirement(line) for line in lines if line]


def _pyproject_pins() -> dict[str, Requirement]:
    project = PYPROJECT["project"]
    listed = [*project["dependencies"], *(dep for extra in project["optional-dependencies"].values() for dep in extra)]
    return {canonicalize_name(requirement.name): requirement for requirement in map(Requirement, listed)}


def _bindep_rules(profile: str) -> list[str]:
    return [rule[0] for rule in Depends((ROOT / "bindep.txt").read_text()).active_rules([profile])]


def test_ansible_builder_makes_the_build_context_from_the_repository_s_files(tmp_path: Path) -> None:
    context = tmp_path / "context"
    # The file name given, not left to the container engine installed here (podman or docker).
    run = _run(BIN / "ansible-builder", "create", "-f", "execution-environment.yml", "--context", context,
               "--output-filename", "Containerfile")

    assert run.returncode == 0, run.stdout + run.stderr
    containerfile = (context / "Containerfile").read_text()
    dependencies = DEFINITION["dependencies"]
    for key, name in CONTEXT_NAMES.items():
        copied = context / "_build" / name
        assert copied.read_bytes() == (ROOT / dependencies[key]).read_bytes(), f"{name} differs from {dependencies[key]}"
    # The build arguments are the definition's: base image, Python, Ansible and ansible-runner.
    refs = f"{dependencies['ansible_core']['package_pip']} {dependencies['ansible_runner']['package_pip']}"
    for line in (f'ARG EE_BASE_IMAGE="{DEFINITION["images"]["base_image"]["name"]}"',
                 f'ARG PYCMD="{dependencies["python_interpreter"]["python_path"]}"',
                 f'ARG ANSIBLE_INSTALL_REFS="{refs}"'):
        assert line in containerfile.splitlines(), f"{line!r} is not in the Containerfile:\n{containerfile}"
    # Under ansible-runner (AWX) the plays run with Ansible's plain linear strategy (docs/awx.md).
    final_stage = containerfile.rsplit("\nFROM ", 1)[-1].splitlines()
    assert "ENV HYBRIDLAB_MITOGEN=false" in final_stage, containerfile[-800:]


def test_the_base_image_names_no_registry() -> None:
    # A reference's first component is a registry host when it holds a '.' or a ':' or is localhost
    # (the image reference grammar of Docker and Podman).
    name = DEFINITION["images"]["base_image"]["name"]
    first, _, rest = name.partition("/")
    assert not rest or not ("." in first or ":" in first or first == "localhost"), f"{name} names a registry"
    assert name.rpartition(":")[2], f"{name} has no tag (ansible-builder requires one)"


def test_ansible_and_ansible_runner_are_the_versions_pyproject_pins() -> None:
    pins = _pyproject_pins()
    dependencies = DEFINITION["dependencies"]
    for key in ("ansible_core", "ansible_runner"):
        wanted = Requirement(dependencies[key]["package_pip"])
        assert wanted.specifier, f"{key} is not pinned: {wanted}"
        assert str(pins[canonicalize_name(wanted.name)]) == str(wanted), f"{key}: {wanted} is not pyproject.toml's"
    # The image's Python is one pyproject.toml accepts.
    python = dependencies["python_interpreter"]
    version = python["package_system"].removeprefix("python")
    assert python["python_path"].endswith(f"/python{version}")
    assert Version(version) in SpecifierSet(PYPROJECT["project"]["requires-python"])


def test_requirements_txt_pins_each_package_as_pyproject_does() -> None:
    pins = _pyproject_pins()
    listed = _requirements((ROOT / "requirements.txt").read_text())

    assert listed, "requirements.txt lists nothing"
    for requirement in listed:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in requirements.txt but not in pyproject.toml"
        assert requirement.specifier == pins[name].specifier, f"{requirement} differs from pyproject.toml's {pins[name]}"


@pytest.mark.parametrize("profile", ["platform:dpkg", "platform:rpm"])
def test_bindep_names_an_ssh_client_and_graphviz_on_both_package_families(profile: str) -> None:
    packages = _bindep_rules(profile)
    # Debian's ssh client package is openssh-client, the RHEL family's openssh-clients.
    ssh = {"platform:dpkg": "openssh-client", "platform:rpm": "openssh-clients"}[profile]
    assert sorted(packages) == sorted([ssh, "graphviz"]), packages


def test_meta_execution_environment_names_the_repository_s_dependency_files() -> None:
    meta = yaml.safe_load((ROOT / "meta" / "execution-environment.yml").read_text())

    assert meta["version"] == 1
    # The same files the repository's own definition names, so one list serves both.
    assert meta["dependencies"] == {key: DEFINITION["dependencies"][key] for key in ("python", "system")}
    for path in meta["dependencies"].values():
        assert (ROOT / path).is_file(), f"meta/execution-environment.yml names {path}, which does not exist"


def test_an_execution_environment_installing_the_collection_gets_its_packages(tmp_path: Path) -> None:
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    build = _run(BIN / "ansible-galaxy", "collection", "build", ROOT, "--output-path", tmp_path)
    assert build.returncode == 0, build.stdout + build.stderr
    tarball = tmp_path / f"{galaxy['namespace']}-{galaxy['name']}-{galaxy['version']}.tar.gz"
    with tarfile.open(tarball) as archive:
        members = set(archive.getnames())
    meta = yaml.safe_load((ROOT / "meta" / "execution-environment.yml").read_text())
    for wanted in ("meta/execution-environment.yml", *meta["dependencies"].values()):
        assert wanted in members, f"{wanted} is not in {tarball.name} (galaxy.yml's build_ignore)"
    for tooling in ("execution-environment.yml", "ansible-navigator.yml"):
        assert tooling not in members, f"{tooling} is in {tarball.name} despite build_ignore"

    # Away from the repository, whose ansible.cfg finds hybridlab.aws installed already (collections/).
    installed = tmp_path / "installed"
    install = _run(BIN / "ansible-galaxy", "collection", "install", tarball, "-p", installed, "--no-deps",
                   cwd=tmp_path, env={key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")})
    assert install.returncode == 0, install.stdout + install.stderr
    introspect = _run(BIN / "ansible-builder", "introspect", installed)
    assert introspect.returncode == 0, introspect.stdout + introspect.stderr
    found = yaml.safe_load(introspect.stdout)

    def ours(entries: list[str]) -> list[str]:
        return [entry.split("#", 1)[0].strip() for entry in entries if entry.endswith("# from collection hybridlab.aws")]

    requirements = _requirements((ROOT / "requirements.txt").read_text())
    assert ours(found["python"]) == [str(requirement) for requirement in requirements], introspect.stdout
    bindep_lines = [line.strip() for line in (ROOT / "bindep.txt").read_text().splitlines()
                    if line.strip() and not line.startswith("#")]
    assert ours(found["system"]) == bindep_lines, introspect.stdout


def test_ansible_navigator_runs_the_image_the_definition_tags(tmp_path: Path) -> None:
    ee = NAVIGATOR["execution-environment"]
    assert ee["image"] in DEFINITION["options"]["tags"]
    assert ee["pull"]["policy"] == "missing", "the image is built here: a registry is asked only when it is missing"

    # navigator's own reading of the settings (its schema, the mounts): --ee false, as no container
    # engine need run here. The state directory must exist, as for every run.
    state = tmp_path / "state"
    state.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "HYBRIDLAB_"))}
    env.update(HYBRIDLAB_STATE_DIR=str(state), ANSIBLE_NAVIGATOR_LOG_FILE=str(tmp_path / "navigator.log"),
               PATH=f"{BIN}:{env.get('PATH', '')}")
    run = _run(BIN / "ansible-navigator", "settings", "--effective", "--mode", "stdout", "--ee", "false", env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    effective = yaml.safe_load(run.stdout)["ansible-navigator"]

    assert effective["mode"] == "stdout"
    assert effective["playbook-artifact"]["enable"] is False
    assert effective["execution-environment"]["image"] == ee["image"]
    assert effective["execution-environment"]["volume-mounts"] == [{"src": str(state), "dest": str(state), "options": "Z"}]
    assert "HYBRIDLAB_STATE_DIR" in effective["execution-environment"]["environment-variables"]["pass"]
    # The repository's ansible.cfg, relative to the root navigator runs from.
    config = effective["execution-environment"]["environment-variables"]["set"]["ANSIBLE_CONFIG"]
    assert (ROOT / config).resolve() == ROOT / "ansible.cfg"


@pytest.mark.parametrize("path", ["context/Containerfile", "ansible-navigator.log"])
def test_what_the_tools_leave_in_the_repository_is_ignored_by_git(path: str) -> None:
    # ansible-builder's default build context, and the log ansible-navigator.yml names.
    if path.endswith(".log"):
        assert NAVIGATOR["logging"]["file"] == path
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    assert _run("git", "check-ignore", "-q", path).returncode == 0, f"{path} is not git-ignored"
