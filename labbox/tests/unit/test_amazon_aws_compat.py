"""amazon.aws.cloudformation against the twin: create, no-op update (changed=false), delete."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

PLAYBOOK = """
- name: A stack's life through amazon.aws.cloudformation
  hosts: localhost
  connection: local
  gather_facts: false
  module_defaults:
    group/amazon.aws.aws:
      endpoint_url: "{{ twin_endpoint }}"
      region: ap-northeast-2
      access_key: test
      secret_key: test
  tasks:
    - name: Create the stack
      amazon.aws.cloudformation:
        stack_name: compat-vpc
        state: present
        template_body: "{{ lookup('ansible.builtin.file', template_path) }}"
        template_parameters:
          VpcCidr: 10.70.0.0/16
      register: created

    - name: Apply it again unchanged
      amazon.aws.cloudformation:
        stack_name: compat-vpc
        state: present
        template_body: "{{ lookup('ansible.builtin.file', template_path) }}"
        template_parameters:
          VpcCidr: 10.70.0.0/16
      register: unchanged

    - name: Read the VPC back through the EC2 API
      amazon.aws.ec2_vpc_net_info:
        vpc_ids: ["{{ created.stack_outputs.VpcId }}"]
      register: vpc_info

    - name: Delete the stack
      amazon.aws.cloudformation:
        stack_name: compat-vpc
        state: absent
      register: deleted

    - name: Record what the modules reported
      ansible.builtin.copy:
        dest: "{{ result_path }}"
        content: "{{ {'created': created.changed, 'unchanged': unchanged.changed, 'unchanged_output': unchanged.output,
                      'outputs': created.stack_outputs, 'cidr': vpc_info.vpcs[0].cidr_block,
                      'deleted': deleted.changed} | to_json }}"
        mode: "0644"
"""

TEMPLATE = """
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  VpcCidr: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref VpcCidr
      Tags: [{Key: Name, Value: compat}]
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.70.1.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
Outputs:
  VpcId: {Value: !Ref Vpc}
  Zone: {Value: !GetAtt Subnet.AvailabilityZone}
"""


@pytest.mark.integration
def test_cloudformation_module_creates_reports_no_change_and_deletes(labbox_server, tmp_path):
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    (tmp_path / "vpc.yml").write_text(TEMPLATE)
    result_path = tmp_path / "result.json"
    env = {**labbox_server["env"], "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false"}
    extra = {
        "twin_endpoint": labbox_server["endpoint"],
        "template_path": str(tmp_path / "vpc.yml"),
        "result_path": str(result_path),
        "ansible_python_interpreter": sys.executable,
    }

    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("ansible-playbook")),
            "-i",
            "localhost,",
            str(tmp_path / "play.yml"),
            "-e",
            json.dumps(extra),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    result = json.loads(result_path.read_text())
    assert result["created"] is True
    assert result["unchanged"] is False
    assert result["unchanged_output"] == "Stack is already up-to-date."
    assert result["outputs"]["Zone"] == "ap-northeast-2a"
    assert result["cidr"] == "10.70.0.0/16"
    assert result["deleted"] is True
    ec2 = boto3.client(
        "ec2",
        endpoint_url=labbox_server["endpoint"],
        region_name="ap-northeast-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    assert result["outputs"]["VpcId"] not in [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]]
