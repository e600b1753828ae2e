"""Preflight against the twin: GO with a cost per hour, NO-GO with every reason, in seconds.

The twin answers the calls preflight makes as AWS would (Service Quotas at AWS's defaults, the
public AMI parameters, key pairs), so a quota too small or a key pair that is not there gives
the NO-GO an account would.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab_env import Lab

# A region of its own, so the VPCs these tests add meet no other test's lab.
CROWDED_REGION = "ap-southeast-2"
VERDICT = re.compile(r"PREFLIGHT: (GO|NO-GO) — ([^\"\n]*)")


def verdicts(output: str) -> list[tuple[str, str]]:
    # The final line is printed once by the task (fail's msg may be echoed in the error too).
    return sorted(set(VERDICT.findall(output)))


def test_preflight_says_go_with_the_cost_per_hour_in_under_30_seconds(lab: Lab) -> None:
    lab.playbook("playbooks/preflight.yml")  # the first run may start the twin and make the lab's PSKs
    started = time.monotonic()
    run = lab.playbook("playbooks/preflight.yml")
    elapsed = time.monotonic() - started

    [(verdict, summary)] = verdicts(run.output)
    assert verdict == "GO"
    assert re.search(r"the s2s lab in ap-northeast-2 on account \d{12}: \$0\.\d+/h, \$\d+\.\d\d for a typical 1 h run", summary)
    assert "cost ap-northeast-2 1 x Site-to-Site VPN connection at $0.0500/h" in run.stdout
    assert run.recap()["changed"] == 0
    print(f"preflight on the twin: {elapsed:.1f} s")
    assert elapsed < 30, f"preflight took {elapsed:.1f} s"


def test_preflight_prices_both_regions_of_the_full_day_two(lab: Lab) -> None:
    run = lab.playbook("playbooks/preflight.yml", {"lab": "tgw_full"})

    [(verdict, summary)] = verdicts(run.output)
    assert verdict == "GO"
    assert "in ap-northeast-2 and ap-northeast-1" in summary
    assert "cost ap-northeast-1 2 x Transit Gateway attachment" in run.stdout
    assert "ap-northeast-1 Transit gateways per account (ec2 L-A2478D36): quota 5" in run.stdout


@pytest.fixture
def crowded_region(lab: Lab) -> Iterator[str]:
    """CROWDED_REGION with four VPCs beside its default one: the VPC quota of 5 is full."""
    ec2 = lab.client("ec2", CROWDED_REGION)
    vpc_ids = [ec2.create_vpc(CidrBlock=f"10.{200 + index}.0.0/16")["Vpc"]["VpcId"] for index in range(4)]
    try:
        yield CROWDED_REGION
    finally:
        for vpc_id in vpc_ids:
            ec2.delete_vpc(VpcId=vpc_id)


def test_preflight_says_no_go_when_the_vpcs_in_use_leave_no_room_for_the_lab(lab: Lab, crowded_region: str) -> None:
    run = lab.playbook("playbooks/preflight.yml", {"aws_region": crowded_region}, check=False)

    assert run.returncode != 0
    [(verdict, reasons)] = verdicts(run.output)
    assert verdict == "NO-GO"
    assert (
        f"{crowded_region}: VPCs per Region is 5 (applied to the account), 5 in use and the lab adds 2: free 2 "
        "or request an increase of vpc L-F678F1CE in Service Quotas"
    ) in reasons
    # The other quotas have room: only the VPCs are named.
    assert "Elastic IPs is" not in reasons


def test_preflight_says_no_go_when_the_named_key_pair_does_not_exist(lab: Lab, tmp_path: Path) -> None:
    private_key = tmp_path / "someone.pem"
    private_key.write_text("not a real key\n")
    private_key.chmod(0o600)

    run = lab.playbook(
        "playbooks/preflight.yml",
        {"lab_key_name": "someone-elses-key", "lab_private_key_file": str(private_key)},
        check=False,
    )

    assert run.returncode != 0
    [(verdict, reasons)] = verdicts(run.output)
    assert verdict == "NO-GO"
    assert "ap-northeast-2: key pair someone-elses-key (lab_key_name) does not exist there" in reasons


def test_a_named_key_pair_that_exists_is_go(lab: Lab, tmp_path: Path) -> None:
    private_key = tmp_path / "mine.pem"
    private_key.write_text("not a real key\n")
    private_key.chmod(0o600)
    ec2 = lab.client("ec2")
    ec2.create_key_pair(KeyName="my-own-key")
    try:
        run = lab.playbook(
            "playbooks/preflight.yml", {"lab_key_name": "my-own-key", "lab_private_key_file": str(private_key)}
        )
    finally:
        ec2.delete_key_pair(KeyName="my-own-key")

    [(verdict, _summary)] = verdicts(run.output)
    assert verdict == "GO"
    assert "key pair my-own-key: yours (lab_key_name), found in ap-northeast-2" in run.stdout


def test_a_private_key_others_may_read_stops_the_run_naming_file_and_mode(lab: Lab, tmp_path: Path) -> None:
    private_key = tmp_path / "shared.pem"
    private_key.write_text("not a real key\n")
    private_key.chmod(0o644)
    lab.client("ec2").create_key_pair(KeyName="shared-key")
    try:
        run = lab.playbook(
            "playbooks/preflight.yml",
            {"lab_key_name": "shared-key", "lab_private_key_file": str(private_key)},
            check=False,
        )
    finally:
        lab.client("ec2").delete_key_pair(KeyName="shared-key")

    assert run.returncode != 0
    assert f"lab_private_key_file {private_key} has mode 0644" in run.stdout, run.stdout[-3000:]
    assert not any(verdict == "GO" for verdict, _ in verdicts(run.output))
    assert os.stat(private_key).st_mode & 0o777 == 0o644  # reported, never changed


def test_site_on_an_aws_account_stops_at_the_no_go_before_any_stack(lab: Lab, crowded_region: str) -> None:
    """The account path (inventory/aws, credentials from the environment), pointed at the twin."""
    env = dict(lab.env, AWS_ACCESS_KEY_ID="labbox", AWS_SECRET_ACCESS_KEY="labbox", AWS_ENDPOINT_URL=lab.endpoint)
    account_lab = Lab(env=env, endpoint=lab.endpoint)

    run = account_lab.playbook(
        "site.yml",
        {"aws_region": crowded_region, "operator_cidr": "198.51.100.7/32"},
        check=False,
        options=("-i", "inventory/aws"),
    )

    assert run.returncode != 0
    [(verdict, reasons)] = verdicts(run.output)
    assert verdict == "NO-GO" and "VPCs per Region is 5" in reasons
    stacks = lab.client("cloudformation", crowded_region).describe_stacks()["Stacks"]
    assert [stack["StackName"] for stack in stacks] == []


def test_a_lab_of_the_same_name_is_a_warning_not_a_no_go(lab: Lab) -> None:
    ec2 = lab.client("ec2", "ap-northeast-1")
    vpc_id = ec2.create_vpc(
        CidrBlock="10.3.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "hybridlab:lab", "Value": "hybridlab"}]}],
    )["Vpc"]["VpcId"]
    try:
        run = lab.playbook("playbooks/preflight.yml", {"lab": "tgw_peering"})
    finally:
        ec2.delete_vpc(VpcId=vpc_id)

    [(verdict, summary)] = verdicts(run.output)
    assert verdict == "GO" and "1 warning(s) above" in summary
    assert "WARN ap-northeast-1: a lab named hybridlab is already there (1 VPC(s))" in run.stdout
    # The VPC counts against the quota like any other.
    assert "ap-northeast-1 VPCs per Region (vpc L-F678F1CE): quota 5 (applied to the account), in use 2" in run.stdout


def test_preflight_says_no_go_in_a_region_without_the_image(lab: Lab) -> None:
    # A public parameter name that exists in no region, as an image retired or not yet offered.
    missing = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-riscv64"
    run = lab.playbook("playbooks/preflight.yml", {"lab_image_ssm_parameter": missing}, check=False)

    assert run.returncode != 0
    [(verdict, summary)] = verdicts(run.output)
    assert verdict == "NO-GO"
    assert f"ap-northeast-2: lab_image_ssm_parameter {missing} does not resolve" in summary, summary
