"""docs/awx.md against the repository. Its YAML blocks, in order, are one playbook that makes the
lab's AWX objects with the awx.awx collection: every module and option is one ansible-doc
documents, every job template runs a playbook the repository has, every survey question asks for
a variable of the lab (or of the class playbook) with that variable's type, choices and default,
the EC2 inventory source is inventory/aws/hybridlab.aws_ec2.yml, the settings source brings every
group_vars file of inventory/aws, and the playbook passes ansible-playbook --syntax-check.

The playbook is read as Ansible reads it (its strings templates, but those marked !unsafe), and
what a check needs is rendered with the play's variables, as the run would send it to AWX.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DOC = ROOT / "docs" / "awx.md"
CLASS_ROLE = ROOT / "roles" / "lab_class"
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.DOTALL | re.MULTILINE)
# The question types AWX accepts in a survey (its API refuses others).
SURVEY_TYPES = {"text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"}
# A variable's argument spec type -> the survey types that give Ansible a value of it.
QUESTION_TYPES = {"str": {"text", "textarea", "password", "multiplechoice"}, "path": {"text"}, "int": {"integer"},
                  "float": {"float"}}
# What the doc's command line gives the play (-e), and its reading of the key pair's file: the
# values do not matter here, only that the play can be rendered as its run would render it.
COMMAND_LINE = {"hybridlab_ee_image": "hybridlab-ee:0.2.0", "hybridlab_scm_url": "file:///srv/hybridlab.git",
                "hybridlab_vpn_tunnel_psks": ["tunnel1.Key_one", "tunnel2.Key_two"],
                "hybridlab_private_key": "the key pair's private key"}
# Keys of a task that are not its module.
TASK_KEYWORDS = {"name", "loop", "no_log", "when", "tags", "register", "vars"}

pytestmark = pytest.mark.skipif(not DOC.is_file() or not (ROOT / "galaxy.yml").is_file(),
                                reason="needs the source tree, not the built collection")


def _options(path: Path, entry_point: str) -> dict:
    return yaml.safe_load(path.read_text())["argument_specs"][entry_point]["options"]


def _yaml_file(path: Path) -> dict:
    return (yaml.safe_load(path.read_text()) or {}) if path.is_file() else {}


def _class_variables() -> dict:
    """The class playbook's variables (-e class_action=... class_file=...), each with the argument
    spec of the role option whose default reads it (`lab_class_file: "{{ class_file | default(...) }}"`)."""
    if not CLASS_ROLE.is_dir():
        return {}
    options = _options(CLASS_ROLE / "meta" / "argument_specs.yml", "plan")
    read = {}
    for option, default in _yaml_file(CLASS_ROLE / "defaults" / "main.yml").items():
        match = re.fullmatch(r"\{\{ (\w+)(?: \| default\(.*\))? \}\}", str(default))
        if match and option in options:
            read[match.group(1)] = options[option]
    return read


# The lab's variables, and the class playbook's.
LAB_SPEC = _options(ROOT / "roles" / "lab_config" / "meta" / "argument_specs.yml", "main")
CLASS_SPEC = _class_variables()


@pytest.fixture(scope="module")
def playbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    blocks = BLOCK.findall(DOC.read_text())
    assert blocks, "docs/awx.md has no yaml block"
    path = tmp_path_factory.mktemp("awx") / "awx-hybridlab.yml"
    path.write_text("".join(blocks))
    return path


@pytest.fixture(scope="module")
def play(playbook: Path) -> dict:
    plays = DataLoader().load_from_file(str(playbook), trusted_as_template=True)
    assert len(plays) == 1, "the blocks make one play"
    return plays[0]


def _module(task: dict) -> str:
    [module] = [key for key in task if key not in TASK_KEYWORDS]
    return module


def _render(play: dict, value, item=None):
    variables = dict(play["vars"]) | COMMAND_LINE
    if item is not None:
        variables["item"] = item
    return Templar(loader=DataLoader(), variables=variables).template(value)


def _task_calls(play: dict, task: dict) -> list[dict]:
    """A task's rendered arguments, one per loop item (AWX's injector templates left as they are)."""
    args = task[_module(task)]
    return [{key: (value if key == "injectors" else _render(play, value, item)) for key, value in args.items()}
            for item in task.get("loop") or [None]]


def _calls(play: dict, module: str) -> list[dict]:
    """The rendered arguments of every call of a module."""
    return [call for task in play["tasks"] if _module(task) == module for call in _task_calls(play, task)]


@pytest.fixture(scope="module")
def docs(play: dict) -> dict:
    """ansible-doc's documentation of every module the play uses, by name."""
    modules = sorted({_module(task) for task in play["tasks"]})
    run = subprocess.run([str(BIN / "ansible-doc"), "-j", *modules], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    return {name: entry["doc"] for name, entry in json.loads(run.stdout).items()}


def test_every_task_runs_a_module_of_awx_awx(play: dict, docs: dict) -> None:
    modules = [_module(task) for task in play["tasks"]]
    assert modules and all(module.startswith("awx.awx.") for module in modules), modules
    # ansible-doc answers only for modules that exist.
    assert set(modules) == set(docs)


def _check_options(given: dict, options: dict, where: str) -> list[str]:
    """Every key a real option (or alias), literal choices among its choices, suboptions likewise."""
    names = {alias: name for name, spec in options.items() for alias in [name, *spec.get("aliases", [])]}
    problems = [f"{where}: {key} is not an option" for key in given if key not in names]
    problems += [f"{where}: {name} is required" for name, spec in options.items() if spec.get("required") and name not in given]
    for key, value in given.items():
        spec = options.get(names.get(key), {})
        if spec.get("choices") and isinstance(value, str) and value not in spec["choices"]:
            problems.append(f"{where}: {key}={value!r} is not one of {spec['choices']}")
        suboptions = spec.get("suboptions")
        if suboptions and isinstance(value, dict):
            problems += _check_options(value, suboptions, f"{where}.{key}")
        elif suboptions and isinstance(value, list):
            for index, element in enumerate(value):
                problems += _check_options(element, suboptions, f"{where}.{key}[{index}]")
    return problems


def test_every_option_is_one_the_module_documents(play: dict, docs: dict) -> None:
    problems = []
    for number, task in enumerate(play["tasks"]):
        module = _module(task)
        for call in _task_calls(play, task):
            problems += _check_options(call, docs[module]["options"], f"task {number} ({task['name']}) {module}")
    assert not problems, "\n".join(problems)


def test_every_object_a_task_names_is_one_the_play_makes_before(play: dict) -> None:
    made: dict[str, set] = {"execution_environment": set(), "project": set(), "credential": set(), "inventory": set(),
                            "credential_type": {"Amazon Web Services"}, "job_template": set()}
    problems = []
    for task in play["tasks"]:
        module = _module(task)
        for call in _task_calls(play, task):
            wanted = {
                "execution_environment": [call.get("execution_environment"), call.get("default_environment")],
                "project": [call.get("project"), call.get("source_project")],
                "credential": [call.get("credential"), *(call.get("credentials") or [])],
                "inventory": [call.get("inventory")],
                "credential_type": [call.get("credential_type")],
                "job_template": [node["unified_job_template"]["name"] for node in call.get("workflow_nodes") or []],
            }
            problems += [f"{task['name']}: {kind} {name!r} is not made before"
                         for kind, names in wanted.items() for name in names if name and name not in made[kind]]
            kind = module.removeprefix("awx.awx.")
            if kind in made:
                made[kind].add(call["name"])
    assert not problems, "\n".join(problems)


def test_every_job_template_runs_a_playbook_of_the_repository(play: dict) -> None:
    templates = _calls(play, "awx.awx.job_template")
    assert {template["playbook"] for template in templates} >= {
        "site.yml", "playbooks/verify.yml", "playbooks/status.yml", "playbooks/teardown.yml", "playbooks/class.yml"}
    for template in templates:
        assert (ROOT / template["playbook"]).is_file(), f"{template['name']}: {template['playbook']} does not exist"


def _surveys(play: dict) -> list[tuple[str, dict]]:
    return [(call["name"], call["survey_spec"])
            for module in ("awx.awx.job_template", "awx.awx.workflow_job_template")
            for call in _calls(play, module) if call.get("survey_enabled")]


def test_every_survey_asks_for_variables_with_their_types_choices_and_defaults(play: dict) -> None:
    surveys = _surveys(play)
    assert surveys
    problems = []
    for name, survey in surveys:
        assert isinstance(survey["name"], str) and isinstance(survey["description"], str), name
        for question in survey["spec"]:
            variable = question["variable"]
            spec = LAB_SPEC.get(variable) or CLASS_SPEC.get(variable)
            where = f"{name}: {variable}"
            if spec is None:
                problems.append(f"{where} is no variable of the lab (roles/lab_config) or the class playbook (roles/lab_class)")
                continue
            kind = question["type"]
            if kind not in SURVEY_TYPES or kind not in QUESTION_TYPES.get(spec["type"], set()):
                problems.append(f"{where}: a {kind} question cannot give the {spec['type']} the variable is")
            if (kind == "multiplechoice") != ("choices" in spec) or list(question.get("choices", [])) != spec.get("choices", []):
                problems.append(f"{where}: choices {question.get('choices')} are not the variable's {spec.get('choices')}")
            if "default" in question:
                if "default" not in spec or question["default"] != spec["default"]:
                    problems.append(f"{where}: default {question['default']!r} is not the variable's {spec.get('default')!r}")
            elif question.get("required") is not True:
                # A question without the variable's default must be answered.
                problems.append(f"{where}: no default and not required")
    assert not problems, "\n".join(problems)


def test_job_templates_set_only_variables_the_playbook_reads(play: dict) -> None:
    # The class role's own variables count too: the class templates set one (its learners' inventory).
    role_vars = _yaml_file(CLASS_ROLE / "defaults" / "main.yml") | _yaml_file(CLASS_ROLE / "vars" / "main.yml")
    problems = []
    for template in _calls(play, "awx.awx.job_template"):
        for variable, value in (template.get("extra_vars") or {}).items():
            spec = LAB_SPEC.get(variable) or CLASS_SPEC.get(variable)
            if spec is None and variable not in role_vars:
                problems.append(f"{template['name']}: {variable} is no variable of the lab or the class")
            elif spec and "choices" in spec and value not in spec["choices"]:
                problems.append(f"{template['name']}: {variable}={value!r} is not one of {spec['choices']}")
            if variable == "class_inventories":
                paths = list(value)
                problems += [f"{template['name']}: inventory {path} does not exist" for path in paths if not (ROOT / path).exists()]
    assert not problems, "\n".join(problems)


def test_the_secrets_credential_gives_lab_variables(play: dict) -> None:
    [credential_type] = _calls(play, "awx.awx.credential_type")
    given = credential_type["injectors"]["extra_vars"]
    assert set(given) <= set(LAB_SPEC), set(given) - set(LAB_SPEC)
    # Two pre-shared keys, as vpn_tunnel_psks holds them, each from a secret field.
    fields = {field["id"]: field for field in credential_type["inputs"]["fields"]}
    assert [re.fullmatch(r"\{\{ (\w+) \}\}", psk).group(1) for psk in given["vpn_tunnel_psks"]] == ["tunnel1_psk", "tunnel2_psk"]
    assert all(fields[name]["secret"] for name in ("tunnel1_psk", "tunnel2_psk", "private_key"))


def _lab_setting_as_variable(value):
    """inventory/aws's lookups of a lab variable, as the plain variable the doc's play sets."""
    if isinstance(value, str):
        return re.sub(r"\{\{ lookup\('hybridlab\.aws\.lab_setting', '(\w+)'\) \}\}", r"{{ \1 }}", value)
    if isinstance(value, dict):
        return {key: _lab_setting_as_variable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lab_setting_as_variable(item) for item in value]
    return value


def test_the_ec2_source_finds_what_inventory_aws_finds(play: dict) -> None:
    inventory = yaml.safe_load((ROOT / "inventory" / "aws" / "hybridlab.aws_ec2.yml").read_text())
    [task] = [task for task in play["tasks"]
              if _module(task) == "awx.awx.inventory_source" and task["awx.awx.inventory_source"]["source"] == "ec2"]
    source_vars = task["awx.awx.inventory_source"]["source_vars"]

    assert inventory.pop("plugin") == "amazon.aws.aws_ec2", "AWX's ec2 source is the amazon.aws.aws_ec2 plugin"
    assert set(source_vars) == set(inventory), "the same keys: nothing of the file left out, nothing added"
    for key in ("filters", "hostnames", "groups", "compose", "regions"):
        assert source_vars[key] == _lab_setting_as_variable(inventory[key]), key
    # The variables the file looks up are the play's, set to the lab's defaults.
    for variable in ("lab_name", "aws_region"):
        assert play["vars"][variable] == LAB_SPEC[variable]["default"], variable


def test_the_settings_source_brings_every_group_vars_file_of_inventory_aws(play: dict) -> None:
    [source] = [call for call in _calls(play, "awx.awx.inventory_source") if call["source"] == "scm"]
    path = ROOT / source["source_path"]
    # As AWX imports it: ansible-inventory --list --export, which leaves the variables' templates as they are.
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    run = subprocess.run([str(BIN / "ansible-inventory"), "-i", str(path), "--list", "--export"], cwd=ROOT,
                         env=dict(env, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")), capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    imported = json.loads(run.stdout)

    group_vars = path.parent / "group_vars"
    groups = sorted(file.stem for file in group_vars.glob("*.yml"))
    assert groups, f"{group_vars} holds no group's file"
    for group in groups:
        assert imported.get(group, {}).get("vars") == yaml.safe_load((group_vars / f"{group}.yml").read_text()), group
    merged = {}
    for file in sorted((group_vars / "all").glob("*.yml")):
        merged |= yaml.safe_load(file.read_text())
    assert imported["all"]["vars"] == merged
    assert merged["lab_target"] == "aws"


def test_the_assembled_playbook_passes_syntax_check(playbook: Path) -> None:
    run = subprocess.run([str(BIN / "ansible-playbook"), "--syntax-check", "-i", "localhost,", str(playbook)],
                         cwd=ROOT, env=dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")), capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
