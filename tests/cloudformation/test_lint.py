"""cfn-lint has nothing to say about the templates, with the repository's configuration and
in every region AWS has; and the lint harness does catch a broken template."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cfn_helpers import REPO_ROOT, TEMPLATE_NAMES, template_path
from cfnlint.api import ManualArgs, lint
from cfnlint.helpers import REGIONS

CFN_LINT = Path(sys.executable).with_name("cfn-lint")


def test_cfn_lint_cli_with_the_repository_config_finds_nothing() -> None:
    # No arguments: the templates, regions and checks come from .cfnlintrc.yaml, as in `make lint`.
    result = subprocess.run([str(CFN_LINT)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_repository_config_reaches_every_template(tmp_path: Path) -> None:
    # A config whose glob matched nothing would be silent too: in a copy of the layout, break
    # every template and the same argument-less run must report each of them.
    shutil.copy(REPO_ROOT / ".cfnlintrc.yaml", tmp_path)
    shutil.copytree(REPO_ROOT / "cloudformation", tmp_path / "cloudformation")
    for name in TEMPLATE_NAMES:
        copy = tmp_path / "cloudformation" / f"{name}.yml"
        text = copy.read_text()
        copy.write_text(
            text.replace('AWSTemplateFormatVersion: "2010-09-09"', 'AWSTemplateFormatVersion: "2010-09-10"')
        )
        assert copy.read_text() != text
    result = subprocess.run([str(CFN_LINT)], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode != 0
    assert all(f"cloudformation/{name}.yml" in result.stdout for name in TEMPLATE_NAMES), result.stdout


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_template_is_lint_clean_in_every_region(template: str) -> None:
    matches = lint(template_path(template).read_text(), config=ManualArgs(regions=REGIONS, include_checks=["I"]))
    assert [str(m) for m in matches] == []


def test_lint_harness_reports_a_broken_template() -> None:
    # The same call on a template with a misspelt property must not come back empty.
    broken = (
        template_path("aws")
        .read_text()
        .replace("PrivateIpAddress: !Ref AwsEc2PrivateIp", "PrivateIpAdress: !Ref AwsEc2PrivateIp")
    )
    assert broken != template_path("aws").read_text()
    matches = lint(broken, config=ManualArgs(regions=["ap-northeast-2"], include_checks=["I"]))
    assert any(m.rule.id == "E3002" for m in matches), [str(m) for m in matches]


def test_no_rule_is_silenced() -> None:
    # No blanket ignores in the config, and no per-resource ones in the templates.
    assert "ignore_checks" not in (REPO_ROOT / ".cfnlintrc.yaml").read_text()
    for name in TEMPLATE_NAMES:
        assert "cfn-lint" not in template_path(name).read_text(), f"{name}.yml configures cfn-lint"
