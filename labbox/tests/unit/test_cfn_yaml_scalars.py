"""A YAML template's unquoted ``Version: 2012-10-17`` is the string CloudFormation reads."""

from __future__ import annotations

from labbox_helpers import client
from stack_helpers import stack

POLICY = """
Resources:
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - {Effect: Allow, Action: "ec2:Describe*", Resource: "*"}
Outputs:
  Arn:
    Value: !Ref Managed
"""


def test_an_unquoted_policy_version_is_accepted_as_written(cfn) -> None:
    cfn.create_stack(StackName="iam", TemplateBody=POLICY, Capabilities=["CAPABILITY_IAM"])
    created = stack(cfn, "iam")
    assert created["StackStatus"] == "CREATE_COMPLETE", created.get("StackStatusReason")
    arn = created["Outputs"][0]["OutputValue"]
    iam = client("iam")
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
    assert document["Version"] == "2012-10-17"
