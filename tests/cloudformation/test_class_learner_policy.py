"""docs/aws-iam-class-learner-policy.json lets a learner of a class build, use and remove their
own lab, and nothing of another learner's.

The policy is one for every learner: each learner's IAM user carries the tag
hybridlab:lab=<class_name>-<learner> (their lab's name), and the policy compares what is asked for
with that tag (${aws:PrincipalTag/hybridlab:lab}). These checks read the policy as IAM would
match actions (wildcards included); IAM's own evaluation is not emulated by the twin.
"""

from __future__ import annotations

import fnmatch
import json

import yaml

from cfn_helpers import REPO_ROOT

LAB_POLICY = json.loads((REPO_ROOT / "docs" / "aws-iam-policy.json").read_text())
LEARNER_POLICY = json.loads((REPO_ROOT / "docs" / "aws-iam-class-learner-policy.json").read_text())
PRINCIPAL_LAB = "${aws:PrincipalTag/hybridlab:lab}"
# What only reads: allowed on everything the account holds, as the lab's own policy does.
READS = ("Describe", "Get", "List", "Search", "Validate")


def actions(statement: dict) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def allowed(policy: dict, action: str) -> list[dict]:
    return [s for s in policy["Statement"] if s["Effect"] == "Allow" and any(fnmatch.fnmatch(action, a) for a in actions(s))]


def conditions(statement: dict) -> dict[str, object]:
    return {key: value for test in statement.get("Condition", {}).values() for key, value in test.items()}


def scoped_to_the_learner(statement: dict) -> bool:
    """The statement allows only what carries, or is created with, the learner's lab tag, or
    only stacks named for the learner's lab, or tagging only while creating."""
    held = conditions(statement)
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return (
        # Launching from a (public) image changes nothing of the image.
        actions(statement) == ["ec2:RunInstances"] and all(":image/" in resource for resource in resources)
        or held.get("ec2:ResourceTag/hybridlab:lab") == PRINCIPAL_LAB
        or held.get("aws:RequestTag/hybridlab:lab") == PRINCIPAL_LAB
        or "ec2:CreateAction" in held
        or all(f"stack/{PRINCIPAL_LAB}-" in resource for resource in resources)
    )


def test_a_learner_may_do_everything_the_lab_does() -> None:
    needed = sorted({action for s in LAB_POLICY["Statement"] for action in actions(s)})
    missing = [action for action in needed if not allowed(LEARNER_POLICY, action)]
    assert missing == [], f"the learner policy does not allow {missing}"


def test_every_change_is_scoped_to_the_learners_own_lab() -> None:
    broad = []
    for statement in LEARNER_POLICY["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        changes = [a for a in actions(statement) if not a.split(":")[1].startswith(READS)]
        # Route 53's association names the VPC, which the learner's tag guards when it is made.
        changes = [a for a in changes if a not in ("sts:GetCallerIdentity", "route53:AssociateVPCWithHostedZone")]
        if changes and not scoped_to_the_learner(statement):
            broad.append((statement["Sid"], changes))
    assert broad == [], f"statements that change more than the learner's lab: {broad}"


def test_stacks_are_created_only_with_the_learners_tag() -> None:
    [deny] = [s for s in LEARNER_POLICY["Statement"] if s["Effect"] == "Deny"]
    assert actions(deny) == ["cloudformation:CreateStack"]
    assert deny["Condition"] == {"StringNotEquals": {"aws:RequestTag/hybridlab:lab": PRINCIPAL_LAB}}


def test_the_tag_is_the_one_the_lab_puts_on_every_stack() -> None:
    stacks_vars = yaml.safe_load((REPO_ROOT / "roles" / "stacks" / "vars" / "main.yml").read_text())
    assert list(stacks_vars["stacks_tags"]) == ["hybridlab:lab"]
    assert stacks_vars["stacks_tags"]["hybridlab:lab"] == "{{ lab_name }}"


def test_the_learner_stays_in_the_labs_regions() -> None:
    [lab_regions] = {tuple(conditions(s)["aws:RequestedRegion"]) for s in LAB_POLICY["Statement"]
                     if "aws:RequestedRegion" in conditions(s)}
    for statement in LEARNER_POLICY["Statement"]:
        if statement["Effect"] == "Allow" and any(a.startswith(("ec2:Create", "cloudformation:Create")) for a in actions(statement)):
            assert tuple(conditions(statement)["aws:RequestedRegion"]) == lab_regions, statement["Sid"]
