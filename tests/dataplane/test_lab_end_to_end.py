"""The lab end to end on the twin's data plane: a real IPsec tunnel, then the faults it must survive.

``site.yml`` builds everything from nothing; IDC-EC2's ping reaches AWS-EC2 through Libreswan on
IDC-CGW, real kernel ESP in UDP across the twin's internet, and the VPN gateway's endpoint. Then,
on that one lab, in file order: a rerun and a dry run change nothing; every exercise of
playbooks/exercise.yml breaks the lab, its check names the cause, and its reset makes the
verification pass again (among them a wrong key on the gateway, tunnel 1 down with the traffic on
tunnel 2, and a replaced VPN connection reconfigured); an exercise fixed by hand is solved; the
gateway comes back from a reboot by itself; teardown leaves nothing, in the API or in the guest.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from dataplane_helpers import assert_data_plane_emptied, eventually, guest, telemetry, vpn_connection
from exercises import break_it, check_unsolved, exercise, exercises_of, reset
from selenium.webdriver.common.by import By

from chromium_page import computed_style, open_page

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
    # Every instance booted whole: no unit failed, none of the steps the twin's AMI leaves out missed.
    machines = guest(lab, "machinectl list --no-legend | awk '{print $1}'").split()
    assert len(machines) == 3
    for machine in machines:
        state = lab.labbox("appliance", "ssh", "--", f"systemctl -M {machine} is-system-running")
        assert state.stdout.strip() == "running", f"{machine}: {state.stdout}{state.stderr}"


def test_rerun_and_dry_run_of_the_built_lab_change_nothing(lab: Lab, built) -> None:
    rerun = lab.playbook("site.yml", LAB_VARS)
    for host in ("localhost", CGW, "IDC-EC2"):
        assert rerun.recap(host)["changed"] == 0, rerun.stdout[-4000:]
    dry = lab.playbook("site.yml", LAB_VARS, options=("--check", "--diff"))
    assert "across the VPN: 0% loss" in dry.stdout, dry.stdout[-4000:]
    assert dry.recap(CGW)["changed"] == 0, dry.stdout[-4000:]
    for psk in PSKS:
        assert psk not in dry.output


def test_status_shows_both_tunnels_up_the_cost_and_a_picture_a_browser_shows_green(lab: Lab, built) -> None:
    started = time.monotonic()
    run = lab.playbook("playbooks/status.yml")
    took = time.monotonic() - started
    print(f"status on the built lab: {took:.1f} s")
    assert re.search(r'"lab hybridlab \(s2s\): healthy, 2/2 tunnels UP, ~0\.\d\d USD/h on AWS"', run.stdout), run.stdout[-3000:]
    for number, address in enumerate(telemetry(lab), 1):
        assert re.search(rf"Tunnel{number} {re.escape(address)} inside 169\.254\.\S+: UP since ", run.stdout)
    assert re.search(r"cost \(what the same lab costs on AWS, prices of [\d-]+\): 0\.\d+ USD/h now", run.stdout)
    picture = re.search(r"picture: (\S+) \(SVG (\S+)\)", run.stdout)
    assert picture, run.stdout[-3000:]
    # Graphviz writes "-" as "&#45;" in its text: read as XML, the SVG names them plainly.
    words = " ".join(ET.parse(picture.group(2)).getroot().itertext())
    for name in ("IDC-CGW", "IDC-EC2", "AWS-EC2", "10.60.0.0/16", "10.50.0.0/16"):
        assert name in words, name
    with open_page(picture.group(1)) as (driver, console):
        for number in (1, 2):
            line = driver.find_element(By.CSS_SELECTOR, f'[id="tunnel-{number}"] path')
            assert computed_style(driver, line, "stroke") == "rgb(26, 127, 55)", f"Tunnel{number} not drawn green (UP)"
        assert console() == []


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


@pytest.mark.parametrize("name", exercises_of("s2s"))
def test_each_exercise_breaks_the_lab_is_named_by_the_check_and_undone_by_reset(lab: Lab, built, name: str) -> None:
    break_it(lab, name, LAB_VARS)
    if name == "tunnel1_down":
        # Redundancy at work: the ping still passes, on Tunnel2.
        route = lab.on_host(CGW, "ansible.builtin.command", "ip route get 10.50.1.100")
        assert "dev vti2" in route.stdout, route.output
    check_unsolved(lab, name, LAB_VARS)
    done = reset(lab, name, LAB_VARS, PATIENT)
    if name in ("wrong_psk", "vpn_replaced"):
        # The keys (and the tunnels' addresses) written again by the openswan role, as a rerun does.
        assert done.recap(CGW)["changed"] > 0, done.stdout[-3000:]


def test_an_exercise_fixed_by_hand_is_solved_and_the_next_can_start(lab: Lab, built) -> None:
    break_it(lab, "idc_route_removed", LAB_VARS)
    refused = exercise(lab, "aws_sg_without_icmp", LAB_VARS, check=False)
    assert refused.returncode != 0 and "Exercise idc_route_removed is in progress" in refused.stdout
    ec2 = lab.client("ec2")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in
               lab.client("cloudformation").describe_stacks(StackName="hybridlab-idc")["Stacks"][0]["Outputs"]}
    ec2.create_route(RouteTableId=outputs["PrivateRouteTableId"], DestinationCidrBlock="10.50.0.0/16",
                     NetworkInterfaceId=outputs["CgwNetworkInterfaceId"])
    solved = exercise(lab, "check", LAB_VARS, PATIENT)
    assert "Solved: The IDC private route table lost its route to AWS-VPC." in solved.stdout, solved.stdout[-3000:]
    nothing = exercise(lab, "reset", LAB_VARS)
    assert "No exercise is in progress: nothing to reset" in nothing.stdout


def test_the_gateway_restarted_brings_ipsec_back_by_itself(lab: Lab, built) -> None:
    # The twin's instances share the guest's kernel, so its boot_id does not change: a new
    # start time of the instance's PID 1 tells the reboot happened.
    arguments = {"reboot_timeout": 600, "boot_time_command": "cut -d' ' -f22 /proc/1/stat"}
    rebooted = lab.on_host(CGW, "ansible.builtin.reboot", json.dumps(arguments))
    assert rebooted.returncode == 0, rebooted.output
    lab.playbook("playbooks/verify.yml", PATIENT)


def test_teardown_leaves_nothing_in_the_api_or_the_guest(lab: Lab, built) -> None:
    lab.playbook("playbooks/teardown.yml")
    assert_data_plane_emptied(lab)
