"""The account run's code path, proven on the twin: `site.yml -i inventory/aws`.

What a user with an AWS account runs, unchanged: `inventory/aws` and `lab_target=aws`, a key pair
generated and imported, Amazon Linux 2023 from its public SSM parameter, Mitogen (then a
verification over Ansible's plain SSH), the lab's own known_hosts, the jump through IDC-CGW with
the lab's key on both hops, the region and lab name from the lab's variables. Only the endpoint
differs (`AWS_ENDPOINT_URL`, which boto3 reads like any AWS setting), and the twin routes its
public addresses to this machine (`LABBOX_PUBLIC_ROUTE`, which conftest.py sets for a session that
runs this module) as AWS's are routed to the user's. `make test` runs it in the lane of the other
checks, on a twin and guest of its own, beside the lab lane's.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request
from pathlib import Path

import pytest

from lab_env import Lab

from labbox.cloud import delay_policy

ACCOUNT_INVENTORY = ("-i", "inventory/aws")
# The address this machine has on the twin's internet (labbox.appliance.public_route): on AWS,
# the user's own address.
OPERATOR = {"operator_cidr": "198.51.100.254/32"}


@pytest.fixture(scope="module")
def account(lab: Lab) -> Lab:
    """The session's twin, reached as AWS is: endpoint and keys from the environment only."""
    # The twin up before the run, as AWS is: its guest booted (`wait` returns once a round found it in sync).
    for step in (("start",), ("dataplane", "up"), ("dataplane", "wait")):
        done = lab.labbox(*step)
        assert done.returncode == 0, done.stdout + done.stderr
    env = dict(lab.env, AWS_ENDPOINT_URL=lab.endpoint, AWS_ACCESS_KEY_ID="labbox", AWS_SECRET_ACCESS_KEY="labbox")
    return Lab(env=env, endpoint=lab.endpoint, data_plane=True)


@pytest.fixture(scope="module")
def built(account: Lab):
    return account.playbook("site.yml", OPERATOR, options=ACCOUNT_INVENTORY)


def test_the_account_path_builds_configures_and_proves_the_lab(account: Lab, built) -> None:
    assert "PREFLIGHT: GO" in built.stdout, built.stdout[-3000:]
    assert re.search(r"IDC-EC2 \(10\.60\.1\.100\) reaches AWS-EC2 \(10\.50\.1\.100\) across the VPN: 0% loss", built.stdout), built.stdout[-3000:]
    ec2 = account.client("ec2")
    live = [{"Name": "instance-state-name", "Values": ["running"]}]
    instances = [i for r in ec2.describe_instances(Filters=live)["Reservations"] for i in r["Instances"]]
    assert {i["KeyName"] for i in instances} == {"hybridlab-key"}
    [image] = ec2.describe_images(ImageIds=list({i["ImageId"] for i in instances}))["Images"]
    assert image["Name"].startswith("al2023-ami-")
    # Each host key was recorded on first contact in the lab's own known_hosts, under its instance id.
    known_hosts = Path(account.env["HYBRIDLAB_STATE_DIR"]) / "hybridlab" / "known_hosts"
    for instance in instances:
        found = subprocess.run(["ssh-keygen", "-F", instance["InstanceId"], "-f", str(known_hosts)], capture_output=True, text=True)
        assert found.returncode == 0, f"no host key of {instance['InstanceId']} in {known_hosts}"


def test_the_account_path_verifies_over_plain_ssh_too(account: Lab, built) -> None:
    """The same lab proven again over Ansible's plain SSH, as by a user whose Ansible has no
    Mitogen: the jump through IDC-CGW, the lab's known_hosts, modules run on the instances."""
    plain_ssh = Lab(env=dict(account.env, HYBRIDLAB_MITOGEN="false"), endpoint=account.endpoint, data_plane=True)
    verified = plain_ssh.playbook("playbooks/verify.yml", OPERATOR, options=ACCOUNT_INVENTORY)
    proof = "IDC-EC2 (10.60.1.100) reaches AWS-EC2 (10.50.1.100) across the VPN: 0% loss"
    assert proof in verified.stdout, verified.stdout[-3000:]
    assert verified.recap("IDC-EC2")["changed"] == 0


def test_the_account_path_ran_with_the_twins_default_delays(account: Lab, built) -> None:
    """AWS's state sequences were walked, not skipped: the VPN connection was pending a while."""
    with urllib.request.urlopen(f"{account.endpoint}/labbox-api/health", timeout=10) as answer:
        assert json.load(answer)["delays"] == delay_policy.DEFAULT_POLICY
    events = account.client("cloudformation").describe_stack_events(StackName="hybridlab-vpn")["StackEvents"]
    vpn = {e["ResourceStatus"]: e["Timestamp"] for e in events if e["ResourceType"] == "AWS::EC2::VPNConnection"}
    pending = (vpn["CREATE_COMPLETE"] - vpn["CREATE_IN_PROGRESS"]).total_seconds()
    assert pending >= delay_policy.POLICIES[delay_policy.DEFAULT_POLICY]["vpn_connection.create"], vpn


def test_the_account_path_tears_the_lab_down_and_finds_nothing_left(account: Lab, built) -> None:
    account.playbook("playbooks/teardown.yml", options=ACCOUNT_INVENTORY)
    ec2 = account.client("ec2")
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    assert ec2.describe_vpcs(Filters=[{"Name": "tag:hybridlab:lab", "Values": ["hybridlab"]}])["Vpcs"] == []
    assert not (Path(account.env["HYBRIDLAB_STATE_DIR"]) / "hybridlab" / "known_hosts").exists()
