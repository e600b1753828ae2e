"""A stack that fails says which resource failed and why, leaves nothing half-made, and a
rerun after the fix just works."""

from __future__ import annotations

from lab_env import PSKS, Lab

LAB = {"lab_name": "failing", "vpn_tunnel_psks": list(PSKS)}


def test_failed_stack_names_the_resource_and_reason_and_a_rerun_recovers(lab: Lab) -> None:
    try:
        # A type the region does not offer: AWS (and the twin) refuse the instance, the stack rolls back.
        failed = lab.playbook("playbooks/stacks.yml", LAB, {"lab_instance_type": "t3.enormous"}, check=False)
        assert failed.returncode != 0
        assert "Deploying the lab's stacks failed" in failed.stdout
        assert "(AWS::EC2::Instance): CREATE_FAILED" in failed.stdout and "t3.enormous" in failed.stdout, failed.stdout[-4000:]
        assert "rerun playbooks/stacks.yml" in failed.stdout

        cfn = lab.client("cloudformation")
        assert cfn.describe_stacks(StackName="failing-idc")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
        vpcs = lab.client("ec2").describe_vpcs(Filters=[{"Name": "tag:hybridlab:lab", "Values": ["failing"]}])["Vpcs"]
        assert [vpc["CidrBlock"] for vpc in vpcs if vpc["CidrBlock"] == "10.60.0.0/16"] == [], "the rollback left the IDC VPC"

        lab.playbook("playbooks/stacks.yml", LAB)
        statuses = {name: cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] for name in ("failing-idc", "failing-vpn")}
        assert statuses == {"failing-idc": "CREATE_COMPLETE", "failing-vpn": "CREATE_COMPLETE"}
    finally:
        lab.playbook("playbooks/teardown.yml", LAB)
