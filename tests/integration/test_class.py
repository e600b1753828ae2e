"""A class of labs against the twin (API only): planned, refused, built side by side, shown,
converged after a learner's failure and removed, with nothing of the class left.

The class's labs live in a region of their own, so the quotas they meet are theirs alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from lab_env import Lab

REGION = "eu-west-1"
# The twin offers no such type: the learner's stack fails at the instance, as on AWS.
UNOFFERED_TYPE = "t3.unoffered"


def class_file(tmp_path: Path, name: str, **content) -> str:
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump({"aws_region": REGION, **content}))
    return str(path)


def stacks_of(lab: Lab, prefix: str) -> list[str]:
    summaries = lab.client("cloudformation", REGION).list_stacks()["StackSummaries"]
    return sorted(s["StackName"] for s in summaries if s["StackName"].startswith(prefix) and s["StackStatus"] != "DELETE_COMPLETE")


def test_a_bad_class_file_is_refused_with_every_problem_before_anything_is_made(lab: Lab, tmp_path: Path) -> None:
    path = class_file(
        tmp_path, "bad", class_name="bad", lab="s2s", colour="blue", parallel=0,
        learners=[{"name": "kim"}, {"name": "Lee"}, {"name": "kim"},
                  {"name": "park", "cidrs": {"aws_vpc_cidr": "10.60.0.0/16", "aws_public_subnet_cidr": "10.60.9.0/24",
                                             "aws_ec2_private_ip": "10.60.9.100"}}],
    )
    run = lab.playbook("playbooks/class.yml", {"class_action": "up", "class_file": path}, check=False)

    assert run.returncode != 0
    assert f"The class in {path} cannot be built:" in run.stdout
    for problem in (
        "class file: unknown key 'colour'",
        "parallel must be a whole number of labs built at once, 1 or more (got 0)",
        "learners[1].name must be lower-case letters and digits",
        "learners[2]: 'kim' is listed twice (learners[0] and learners[2])",
        "learners kim and park: kim's idc_vpc_cidr 10.60.0.0/16 overlaps park's aws_vpc_cidr 10.60.0.0/16",
    ):
        assert problem in run.stdout, problem
    unknown = lab.playbook("playbooks/class.yml", {"class_action": "up", "class_file": class_file(
        tmp_path, "unknown", class_name="unknown", lab="s2s_bgp", learners=[{"name": "kim"}])}, check=False)
    assert unknown.returncode != 0
    assert "lab must be one of s2s, tgw, tgw_vpn, tgw_peering, tgw_full (got 's2s_bgp')" in unknown.stdout
    assert stacks_of(lab, "bad-") == [] and stacks_of(lab, "unknown-") == []
    assert not list((Path(lab.env["HYBRIDLAB_STATE_DIR"])).glob("bad-*"))


def test_a_class_larger_than_the_quotas_is_refused_with_the_numbers(lab: Lab, tmp_path: Path) -> None:
    # Three s2s labs need six VPCs; the region's default VPC leaves room for two labs.
    path = class_file(tmp_path, "big", class_name="big", lab="s2s", lab_vars={"lab_configure_instances": False},
                      learners=[{"name": "kim"}, {"name": "lee"}, {"name": "park"}, {"name": "lee"}])
    run = lab.playbook("playbooks/class.yml", {"class_action": "up", "class_file": path}, check=False)

    assert run.returncode != 0
    assert re.search(
        rf"3 labs need 6 VPCs in {REGION}, 1 in use, quota 5 \(VPCs per Region, [a-z ]+\): request an increase "
        r"of vpc L-F678F1CE to at least 7 in Service Quotas, or use fewer learners per account \(room for 2 more",
        run.stdout,
    ), run.stdout[-3000:]
    # Listed with the file's own problem, in one refusal.
    assert "learners[3]: 'lee' is listed twice" in run.stdout
    assert "cost of the class: 3 s2s lab(s) at $" in run.stdout
    assert stacks_of(lab, "big-") == []


def test_a_class_is_built_side_by_side_one_failure_stops_no_other_and_down_leaves_nothing(
    lab: Lab, tmp_path: Path
) -> None:
    learners = [{"name": "kim"}, {"name": "lee", "lab_instance_type": UNOFFERED_TYPE}]
    content = {"class_name": "duo", "lab": "s2s", "parallel": 2, "lab_vars": {"lab_configure_instances": False}}
    path = class_file(tmp_path, "duo", learners=learners, **content)

    first = lab.playbook("playbooks/class.yml", {"class_action": "up", "class_file": path}, check=False)
    assert first.returncode != 0
    assert re.search(r"kim \(duo-kim\): site\.yml done in [\d.]+ s", first.stdout)
    assert re.search(r"lee \(duo-lee\): site\.yml FAILED \(rc 2\)", first.stdout)
    assert "1 of 2 learners' labs failed (lee); the others are done" in first.stdout
    # The refusal quotes why lee's run failed (its failed task), not the task timer's table that ends its output.
    assert re.search(r"lee's run: fatal: \[\S+\]: FAILED! .*InvalidInstanceType", first.stdout), first.stdout[-3000:]
    assert "InvalidInstanceType" in (Path(lab.env["HYBRIDLAB_STATE_DIR"]) / "duo-lee" / "class-up.log").read_text()
    assert stacks_of(lab, "duo-kim-") == ["duo-kim-aws", "duo-kim-idc", "duo-kim-vpn"]

    # Fixed, a rerun converges what failed and leaves kim's lab as it was.
    learners[1].pop("lab_instance_type")
    path = class_file(tmp_path, "duo", learners=learners, **content)
    second = lab.playbook("playbooks/class.yml", {"class_action": "up", "class_file": path})
    assert re.search(r"lee \(duo-lee\): site\.yml done", second.stdout)
    assert stacks_of(lab, "duo-lee-") == ["duo-lee-aws", "duo-lee-idc", "duo-lee-vpn"]
    kim_rerun = (Path(lab.env["HYBRIDLAB_STATE_DIR"]) / "duo-kim" / "class-up.log").read_text()
    assert re.search(r"^localhost\s*:.*changed=0", kim_rerun, re.MULTILINE), kim_rerun[-2000:]

    down = lab.playbook("playbooks/class.yml", {"class_action": "down", "class_file": path})
    assert f"Nothing tagged for the 2 labs of the class duo remains in {REGION}." in down.stdout
    assert stacks_of(lab, "duo-") == []


@pytest.mark.parametrize("action", ["reset"])
def test_an_unknown_class_action_is_answered_in_one_line(lab: Lab, action: str) -> None:
    run = lab.playbook("playbooks/class.yml", {"class_action": action}, check=False)
    assert run.returncode != 0
    assert f"class_action must be up, status or down; got '{action}'" in run.stdout
