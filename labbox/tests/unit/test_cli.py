"""``python -m labbox``: start/status/reset/stop on our own pid, and the HTTP routes beside the AWS API."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import boto3
import pytest
from labbox_helpers import free_port, labbox_cli, labbox_env
from shapes import assert_matches_output_shape
from stack_helpers import outputs, ref, template, vpc


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _running(pid: int) -> bool:
    """The process exists and is not a zombie waiting for init to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(") ", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _aws(endpoint: str, service: str):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="ap-northeast-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_lifecycle_start_status_reset_stop(tmp_path):
    env = labbox_env(tmp_path / "home", free_port())
    endpoint = f"http://127.0.0.1:{env['LABBOX_PORT']}"

    started = labbox_cli(env, "start")
    assert started.returncode == 0, started.stderr
    assert f"endpoint: {endpoint}" in started.stdout.splitlines()
    pid = int((tmp_path / "home" / "labbox.pid").read_text())
    assert started.stdout.splitlines()[0] == f"labbox started (pid {pid})"
    try:
        again = labbox_cli(env, "start")
        assert again.returncode == 0 and f"pid: {pid}" in again.stdout.splitlines()
        assert again.stdout.splitlines()[0] == "labbox already running"
        status = labbox_cli(env, "status")
        assert status.returncode == 0
        assert status.stdout.splitlines()[:3] == [f"endpoint: {endpoint}", "state: running", f"pid: {pid}"]

        ec2 = _aws(endpoint, "ec2")
        ec2.allocate_address(Domain="vpc")
        (tmp_path / "home" / "leftover.json").write_text("{}")
        reset = labbox_cli(env, "reset")
        assert reset.returncode == 0, reset.stderr
        assert ec2.describe_addresses()["Addresses"] == []
        assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["labbox.log", "labbox.pid"]
    finally:
        stopped = labbox_cli(env, "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not _running(pid)
    status = labbox_cli(env, "status")
    assert status.returncode == 3
    assert status.stdout.splitlines()[:2] == [f"endpoint: {endpoint}", "state: stopped"]
    assert labbox_cli(env, "stop").returncode == 0


def test_stop_leaves_a_server_it_did_not_start_alone(labbox_server, tmp_path):
    # Same port, but a state directory without that server's pid: not ours to stop.
    env = labbox_env(tmp_path / "elsewhere", int(labbox_server["env"]["LABBOX_PORT"]))
    server_pid = int((labbox_server["home"] / "labbox.pid").read_text())

    status = labbox_cli(env, "status")
    refused = labbox_cli(env, "stop")

    assert status.returncode == 0 and f"pid: {server_pid} (not started by 'labbox start')" in status.stdout
    assert refused.returncode == 1
    assert "not started by 'labbox start'" in refused.stderr
    assert _running(server_pid)
    assert _get(f"{labbox_server['endpoint']}/labbox-api/health")[0] == 200


def test_server_answers_health_and_refuses_unknown_routes(labbox_server):
    endpoint = labbox_server["endpoint"]

    status, health = _get(f"{endpoint}/labbox-api/health")
    assert status == 200 and health["ok"] is True
    assert health["pid"] == int((labbox_server["home"] / "labbox.pid").read_text())
    status, missing = _get(f"{endpoint}/labbox-api/no-such-route")
    assert status == 404 and missing["ok"] is False


def test_server_serves_the_aws_api_with_extensions(labbox_server):
    cfn = _aws(labbox_server["endpoint"], "cloudformation")
    cfn.create_stack(StackName="served", TemplateBody=template({"Vpc": vpc()}, outputs={"VpcId": ref("Vpc")}))
    # The server runs stacks in the background (LABBOX_DELAYS defaults to short), as AWS does.
    cfn.get_waiter("stack_create_complete").wait(StackName="served", WaiterConfig={"Delay": 1, "MaxAttempts": 30})

    described = cfn.describe_stacks(StackName="served")
    assert_matches_output_shape("cloudformation", "DescribeStacks", described)
    assert described["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    vpc_id = outputs(cfn, "served")["VpcId"]
    eip = _aws(labbox_server["endpoint"], "ec2").allocate_address(Domain="vpc")
    assert eip["PublicIp"].startswith("198.51.100.")

    cfn.delete_stack(StackName="served")
    assert vpc_id not in [v["VpcId"] for v in _aws(labbox_server["endpoint"], "ec2").describe_vpcs()["Vpcs"]]


def test_status_of_a_stopped_twin_exits_3(tmp_path):
    env = labbox_env(tmp_path / "home", free_port())

    status = labbox_cli(env, "status")

    assert status.returncode == 3
    assert status.stdout.splitlines()[:2] == [f"endpoint: http://127.0.0.1:{env['LABBOX_PORT']}", "state: stopped"]


@pytest.mark.parametrize("command", ["reset", "stop"])
def test_reset_and_stop_stop_the_data_plane_first(command, tmp_path, monkeypatch, capsys):
    """reset empties the directory that holds the guest's run state, stop ends the API the data
    plane reads: either way the data plane and its guest go first."""
    import labbox.__main__ as cli

    calls = []
    monkeypatch.setenv("LABBOX_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LABBOX_PORT", str(free_port()))
    monkeypatch.setattr(cli.dataplane_control, "down", lambda: calls.append("down") or ["stopped the appliance"])

    assert cli.main([command]) == 0

    assert calls == ["down"]
    assert "stopped the appliance" in capsys.readouterr().out
