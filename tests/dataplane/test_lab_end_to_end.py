"""The lab end to end on the twin's data plane: a real IPsec tunnel, then the faults it must survive.

``site.yml`` builds everything from nothing; IDC-EC2's ping reaches AWS-EC2 through Libreswan on
IDC-CGW, real kernel ESP in UDP across the twin's internet, and the VPN gateway's endpoint. Then,
on that one lab, in file order: a rerun and a dry run change nothing; a wrong key on the gateway
is named by the verification; a stopped tunnel endpoint leaves the traffic on the other tunnel;
the gateway comes back from a reboot by itself; a replaced VPN connection (new tunnel IPs) is
picked up by a rerun; teardown leaves nothing, in the API or in the guest.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from dataplane_helpers import assert_data_plane_emptied, eventually, guest, telemetry, vpn_connection

from lab_env import PSKS, Lab

LAB_VARS = {"vpn_tunnel_psks": list(PSKS)}
CGW = "IDC-CGW"
# How long the verification may try: the customer gateway needs up to a minute to notice a
# dead endpoint (IKEv2 liveness) and move the route to the other tunnel.
PATIENT = {"verify_retries": 40, "verify_delay": 3}


@pytest.fixture(scope="module")
def built(lab: Lab):
    return lab.playbook("site.yml", LAB_VARS)


def _gateway_namespace(lab: Lab) -> str:
    return f"g-{vpn_connection(lab)['VpnGatewayId']}"


def test_site_builds_the_lab_and_proves_it_with_a_ping_through_the_tunnel(lab: Lab, built) -> None:
    assert re.search(r"IDC-EC2 \(10\.60\.1\.100\) reaches AWS-EC2 \(10\.50\.1\.100\) across the VPN: 0% loss", built.stdout), built.stdout[-3000:]
    for psk in PSKS:
        assert psk not in built.output
    assert "Tunnel1 203.0.113." in built.stdout and "wall time:" in built.stdout
    eventually(lambda: set(telemetry(lab).values()) == {"UP"}, 120, "both tunnels UP in VgwTelemetry")
    # Real ESP, encapsulated in UDP because IDC-CGW sits behind its internet gateway's NAT.
    states = guest(lab, f"ip netns exec {_gateway_namespace(lab)} ip -s xfrm state")
    assert "proto esp" in states and "encap type espinudp" in states


def test_rerun_and_dry_run_of_the_built_lab_change_nothing(lab: Lab, built) -> None:
    rerun = lab.playbook("site.yml", LAB_VARS)
    for host in ("localhost", CGW, "IDC-EC2"):
        assert rerun.recap(host)["changed"] == 0, rerun.stdout[-4000:]
    dry = lab.playbook("site.yml", LAB_VARS, options=("--check", "--diff"))
    assert "across the VPN: 0% loss" in dry.stdout, dry.stdout[-4000:]
    assert dry.recap(CGW)["changed"] == 0, dry.stdout[-4000:]
    for psk in PSKS:
        assert psk not in dry.output


def _ssh_through_the_gateway(lab: Lab, address: str, user: str = "ec2-user") -> subprocess.CompletedProcess:
    """`ssh USER@ADDRESS true` as the lab's inventory does it: the lab's key on both hops."""
    state = Path(lab.env["HYBRIDLAB_STATE_DIR"]) / "hybridlab"
    cgw_ip = lab.client("ec2").describe_instances(
        Filters=[{"Name": "tag:Name", "Values": [CGW]}, {"Name": "instance-state-name", "Values": ["running"]}]
    )["Reservations"][0]["Instances"][0]["PublicIpAddress"]
    common = [
        "-F", str(Path(lab.env["LABBOX_HOME"]) / "dataplane" / "ssh_config"), "-i", str(state / "id_ed25519"),
        "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=60",
    ]
    jump = shlex.join(["ssh", *common, "-W", "%h:%p", f"ec2-user@{cgw_ip}"])
    return subprocess.run(
        ["ssh", *common, "-o", f"ProxyCommand={jump}", f"{user}@{address}", "true"],
        capture_output=True, text=True, timeout=300, env=lab.env,
    )


def test_an_instance_launched_without_a_key_pair_cannot_be_logged_in_to(lab: Lab, built) -> None:
    """And the key pair goes to the image's own user: Debian's ``admin``, not ``ec2-user``."""
    ec2 = lab.client("ec2")
    [idc_ec2] = [
        i for r in ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["IDC-EC2"]}])["Reservations"]
        for i in r["Instances"] if i["State"]["Name"] == "running"
    ]
    beside_idc_ec2 = {
        "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1, "SubnetId": idc_ec2["SubnetId"],
        "SecurityGroupIds": [g["GroupId"] for g in idc_ec2["SecurityGroups"]],
    }
    debian = lab.client("ssm").get_parameter(Name="/aws/service/debian/release/12/latest/amd64")["Parameter"]["Value"]
    launched = [
        ec2.run_instances(ImageId=idc_ec2["ImageId"], PrivateIpAddress="10.60.1.50", **beside_idc_ec2),
        ec2.run_instances(ImageId=debian, PrivateIpAddress="10.60.1.51", KeyName=idc_ec2["KeyName"], **beside_idc_ec2),
    ]
    try:
        waited = lab.labbox("dataplane", "wait")
        assert waited.returncode == 0, waited.stdout + waited.stderr
        assert _ssh_through_the_gateway(lab, "10.60.1.100").returncode == 0, "the lab's own instance must let its key in"
        refused = _ssh_through_the_gateway(lab, "10.60.1.50")
        assert refused.returncode != 0 and "Permission denied (publickey)" in refused.stderr, refused.stderr
        as_admin = _ssh_through_the_gateway(lab, "10.60.1.51", user="admin")
        assert as_admin.returncode == 0, as_admin.stderr
        as_ec2_user = _ssh_through_the_gateway(lab, "10.60.1.51")
        assert as_ec2_user.returncode != 0 and "Permission denied (publickey)" in as_ec2_user.stderr, as_ec2_user.stderr
    finally:
        # Their interfaces go with them (DeleteOnTermination), so the teardown after this can
        # delete the IDC stack's subnet and security group, as on AWS.
        ec2.terminate_instances(InstanceIds=[r["Instances"][0]["InstanceId"] for r in launched])


def test_a_wrong_key_on_the_gateway_is_named_and_the_openswan_step_mends_it(lab: Lab, built) -> None:
    broken = lab.on_host(
        CGW, "ansible.builtin.shell",
        "sed -i -E 's/PSK \"[^\"]+\"/PSK \"wrong.key_1234\"/' /etc/ipsec.d/aws.secrets && systemctl restart ipsec",
    )
    assert broken.returncode == 0, broken.output
    failed = lab.playbook("playbooks/verify.yml", {"verify_retries": 4}, check=False)
    assert failed.returncode != 0
    assert "pre-shared key mismatch" in failed.stdout and "AUTHENTICATION_FAILED" in failed.stdout, failed.stdout[-4000:]
    mended = lab.playbook("playbooks/openswan.yml", LAB_VARS)
    assert mended.recap(CGW)["changed"] > 0
    lab.playbook("playbooks/verify.yml", PATIENT)


def test_a_stopped_tunnel1_endpoint_leaves_the_traffic_on_tunnel2(lab: Lab, built) -> None:
    connection = vpn_connection(lab)
    tunnel1, tunnel2 = (t["OutsideIpAddress"] for t in connection["VgwTelemetry"])
    stopped = lab.labbox("dataplane", "tunnel", connection["VpnConnectionId"], tunnel1, "stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        eventually(lambda: telemetry(lab) == {tunnel1: "DOWN", tunnel2: "UP"}, 120, "tunnel 1 DOWN, tunnel 2 UP")
        run = lab.playbook("playbooks/verify.yml", PATIENT)
        assert f"Tunnel1 {tunnel1} DOWN, Tunnel2 {tunnel2} UP" in run.stdout
        route = lab.on_host(CGW, "ansible.builtin.command", "ip route get 10.50.1.100")
        assert "dev vti2" in route.stdout, route.output
    finally:
        lab.labbox("dataplane", "tunnel", connection["VpnConnectionId"], tunnel1, "start")
    eventually(lambda: set(telemetry(lab).values()) == {"UP"}, 240, "tunnel 1 back UP")


def test_the_gateway_restarted_brings_ipsec_back_by_itself(lab: Lab, built) -> None:
    # The twin's instances share the guest's kernel, so its boot_id does not change: a new
    # start time of the instance's PID 1 tells the reboot happened.
    arguments = {"reboot_timeout": 600, "boot_time_command": "cut -d' ' -f22 /proc/1/stat"}
    rebooted = lab.on_host(CGW, "ansible.builtin.reboot", json.dumps(arguments))
    assert rebooted.returncode == 0, rebooted.output
    lab.playbook("playbooks/verify.yml", PATIENT)


def test_a_replaced_vpn_connection_is_reconfigured_by_a_rerun(lab: Lab, built) -> None:
    before = set(telemetry(lab))
    cidrs = {"vpn_tunnel_inside_cidrs": ["169.254.10.0/30", "169.254.11.0/30"]}
    run = lab.playbook("site.yml", LAB_VARS, cidrs, PATIENT)
    after = set(telemetry(lab))
    assert len(after) == 2 and not after & before
    assert "0% loss" in run.stdout, run.stdout[-3000:]
    eventually(lambda: set(telemetry(lab).values()) == {"UP"}, 120, "the new connection's tunnels UP")


def test_teardown_leaves_nothing_in_the_api_or_the_guest(lab: Lab, built) -> None:
    lab.playbook("playbooks/teardown.yml")
    assert_data_plane_emptied(lab)
