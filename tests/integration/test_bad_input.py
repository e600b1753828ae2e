"""Bad input stops a run before anything talks to AWS, naming the variable and the rule."""

from __future__ import annotations

import pytest

from lab_env import Lab

CASES = [
    pytest.param({"idc_vpc_cidr": "10.60.0.0/33"}, ["idc_vpc_cidr", "CIDR"], id="malformed-cidr"),
    pytest.param({"aws_vpc_cidr": "10.60.128.0/17"}, ["aws_vpc_cidr", "idc_vpc_cidr", "overlap"], id="overlapping-vpcs"),
    pytest.param({"idc_private_subnet_cidr": "10.70.1.0/24"}, ["idc_private_subnet_cidr", "idc_vpc_cidr"], id="subnet-outside-vpc"),
    pytest.param({"vpn_tunnel_psks": ["0startswithzero", "fine_key_2"]}, ["vpn_tunnel_psks[0]", "0"], id="psk-leading-zero"),
    pytest.param({"vpn_tunnel_psks": ["short", "fine_key_2"]}, ["vpn_tunnel_psks[0]", "8"], id="psk-too-short"),
    pytest.param({"vpn_tunnel_psks": ["bad-char-key", "fine_key_2"]}, ["vpn_tunnel_psks[0]", "letters"], id="psk-bad-characters"),
    pytest.param({"vpn_tunnel_psks": ["only_one_key"]}, ["vpn_tunnel_psks", "two"], id="psk-one-only"),
    pytest.param({"aws_region": "ap-northeast-9"}, ["aws_region", "ap-northeast-9"], id="unknown-region"),
    pytest.param({"lab_name": "Bad_Name"}, ["lab_name"], id="bad-lab-name"),
    pytest.param({"lab_target": "aws"}, ["lab_target", "inventory/aws"], id="aws-target-with-local-inventory"),
    # The account run: the image and the key pair.
    pytest.param(
        {"lab_image_ssm_parameter": "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"},
        ["lab_image_ssm_parameter asks for Amazon Linux 2", "Python 3.7"],
        id="amazon-linux-2",
    ),
    pytest.param({"lab_key_name": "my-key"}, ["lab_key_name=my-key needs lab_private_key_file"], id="key-without-private-key"),
    pytest.param(
        {"lab_key_name": "my-key", "lab_private_key_file": "/nonexistent/my-key.pem"},
        ["lab_private_key_file /nonexistent/my-key.pem cannot be read"],
        id="private-key-missing",
    ),
    # The Transit Gateway labs.
    pytest.param({"lab": "tgw3"}, ["lab must be one of", "tgw3"], id="unknown-lab"),
    pytest.param(
        {"lab": "tgw", "tgw_vpc_cidrs": ["10.0.0.0/16", "10.0.0.0/16", "10.2.0.0/16"]},
        ["tgw_vpc_cidrs[0]", "tgw_vpc_cidrs[1]", "overlap"],
        id="overlapping-tgw-vpcs",
    ),
    pytest.param(
        {"lab": "tgw_vpn", "idc_vpc_cidr": "10.1.0.0/16", "idc_public_subnet_cidr": "10.1.0.0/24",
         "idc_private_subnet_cidr": "10.1.1.0/24", "idc_cgw_private_ip": "10.1.0.100", "idc_ec2_private_ip": "10.1.1.100"},
        ["tgw_vpc_cidrs[1]", "idc_vpc_cidr", "overlap"],
        id="idc-overlaps-a-tgw-vpc",
    ),
    pytest.param({"lab": "tgw_peering", "tgw_peer_region": "ap-northeast-2"}, ["tgw_peer_region", "another region"], id="peering-to-the-same-region"),
    pytest.param({"lab": "tgw_full", "tgw_peer_region": "ap-northeast-9"}, ["tgw_peer_region", "ap-northeast-9"], id="unknown-peer-region"),
]


def assert_twin_never_started(lab: Lab) -> None:
    status = lab.labbox("status")
    assert "state: stopped" in status.stdout, status.stdout


@pytest.mark.parametrize(("extra", "expected"), CASES)
def test_bad_input_fails_before_any_aws_call(cold_lab: Lab, extra: dict, expected: list[str]) -> None:
    run = cold_lab.playbook("site.yml", extra, check=False)
    assert run.returncode != 0
    for word in expected:
        assert word in run.stdout, f"{word!r} missing from:\n{run.stdout[-3000:]}"
    assert_twin_never_started(cold_lab)


def test_a_mistyped_choice_or_type_is_answered_in_one_line_each(cold_lab: Lab) -> None:
    """Not Ansible's own refusal, which shows the role's whole argument spec with it."""
    run = cold_lab.playbook("site.yml", {"lab_target": "awz", "tgw_asn": "abc"}, check=False)
    assert run.returncode != 0
    for line in ("lab_target must be one of local, aws; got 'awz'", "tgw_asn must be a whole number; got 'abc'"):
        assert line in run.stdout.splitlines() or f"[ERROR]: Task failed: Action failed: {line}" in run.stdout, (
            run.stdout[-3000:]
        )
    assert "argument_spec_data" not in run.stdout + run.stderr
    assert_twin_never_started(cold_lab)


def test_aws_target_without_credentials_fails_naming_them(cold_lab: Lab) -> None:
    run = cold_lab.playbook("site.yml", {"operator_cidr": "198.51.100.7/32"}, check=False, options=("-i", "inventory/aws"))
    assert run.returncode != 0
    assert "lab_target=aws needs AWS credentials" in run.stdout, run.stdout[-3000:]


def test_missing_stack_output_is_named(lab: Lab) -> None:
    """A VPN stack without the output the lookup needs: the error names stack and output."""
    cfn = lab.client("cloudformation")
    lab.labbox("start")
    template = '{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.99.0.0/16"}}}}'
    cfn.create_stack(StackName="nooutputs-vpn", TemplateBody=template)
    try:
        run = lab.playbook("playbooks/tunnels.yml", {"lab_name": "nooutputs"}, check=False)
        assert run.returncode != 0
        assert "VpnConnectionId" in run.stdout and "nooutputs-vpn" in run.stdout, run.stdout[-3000:]
    finally:
        cfn.delete_stack(StackName="nooutputs-vpn")


def test_a_private_key_others_can_read_is_refused_before_any_aws_call(cold_lab: Lab, tmp_path) -> None:
    key = tmp_path / "my-key.pem"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    key.chmod(0o644)
    run = cold_lab.playbook("site.yml", {"lab_key_name": "my-key", "lab_private_key_file": str(key)}, check=False)
    assert run.returncode != 0
    assert f"lab_private_key_file {key} has mode 0644" in run.stdout, run.stdout[-3000:]
    assert_twin_never_started(cold_lab)


def test_an_unknown_key_pair_is_named_before_any_stack_is_created(lab: Lab, tmp_path) -> None:
    key = tmp_path / "my-key.pem"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    key.chmod(0o600)
    extra = {"lab_name": "keyless", "lab_key_name": "no-such-key", "lab_private_key_file": str(key)}
    run = lab.playbook("playbooks/stacks.yml", extra, check=False)
    assert run.returncode != 0
    assert "lab_key_name=no-such-key: no key pair of that name in ap-northeast-2" in run.stdout, run.stdout[-3000:]
    names = [stack["StackName"] for stack in lab.client("cloudformation").describe_stacks()["Stacks"]]
    assert not [name for name in names if name.startswith("keyless-")], names


def test_a_step_that_needs_a_built_lab_fails_when_there_is_none(lab: Lab) -> None:
    lab.labbox("start")
    run = lab.playbook("playbooks/verify.yml", {"lab_name": "neverbuilt"}, check=False)
    assert run.returncode != 0
    assert "No lab named neverbuilt is built in ap-northeast-2" in run.stdout, run.stdout[-3000:]


def test_an_exercise_is_refused_in_one_line_when_it_cannot_run(lab: Lab) -> None:
    lab.labbox("start")
    listed = lab.playbook("playbooks/exercise.yml", {"exercise": "list"})
    assert "wrong_psk (s2s lab): A wrong pre-shared key on the customer gateway" in listed.stdout
    assert "tgw_spoke_route_removed (tgw lab)" in listed.stdout
    for extra, said in (
        ({"exercise": "wrong_pks"}, "exercise must be list, check, reset or one of wrong_psk, tunnel1_down,"),
        ({"exercise": "check", "hint": 4}, "hint must be 0, 1, 2 or 3; got '4'"),
        ({"exercise": "check"}, "No exercise is in progress: list them with -e exercise=list"),
        # No lab of that name is built: the exercise names the stacks it needs.
        ({"exercise": "wrong_psk", "lab_name": "neverbuilt"},
         "Exercise wrong_psk needs the s2s lab built (stacks neverbuilt-idc, neverbuilt-aws, neverbuilt-vpn not found"),
        ({"exercise": "tgw_spoke_route_removed", "lab_name": "neverbuilt"},
         "Exercise tgw_spoke_route_removed needs the tgw lab built (stacks neverbuilt-tgw not found"),
    ):
        run = lab.playbook("playbooks/exercise.yml", extra, check=False)
        assert run.returncode != 0 and said in run.stdout, run.stdout[-3000:]
