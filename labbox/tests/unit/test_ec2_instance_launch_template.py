"""AWS::EC2::Instance from a launch template: the template's settings, the instance's own on top."""

from __future__ import annotations

from labbox_helpers import client
from stack_helpers import dumps, stack

AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def test_an_instance_takes_its_launch_template_s_settings(image_catalogue) -> None:
    ec2, cfn, iam = client("ec2"), client("cloudformation"), client("iam")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="lab", Description="lab", VpcId=vpc)["GroupId"]
    iam.create_instance_profile(InstanceProfileName="lab-profile")
    body = dumps({
        "Resources": {
            "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateName": "lab", "LaunchTemplateData": {
                "ImageId": f"resolve:ssm:{AL2023}", "InstanceType": "t3.small", "SecurityGroupIds": [group],
                "IamInstanceProfile": {"Name": "lab-profile"},
            }}},
            "Host": {"Type": "AWS::EC2::Instance", "Properties": {
                "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Template"}, "Version": {"Fn::GetAtt": ["Template", "LatestVersionNumber"]}},
                "SubnetId": subnet, "InstanceType": "t3.micro",
            }},
        },
        "Outputs": {"Id": {"Value": {"Ref": "Host"}}},
    })
    cfn.create_stack(StackName="templated", TemplateBody=body)
    created = stack(cfn, "templated")
    assert created["StackStatus"] == "CREATE_COMPLETE", created.get("StackStatusReason")
    [instance] = ec2.describe_instances(InstanceIds=[created["Outputs"][0]["OutputValue"]])["Reservations"][0]["Instances"]
    image = client("ssm").get_parameter(Name=AL2023)["Parameter"]["Value"]
    assert instance["ImageId"] == image
    assert instance["InstanceType"] == "t3.micro"  # the instance's own property wins
    assert [g["GroupId"] for g in instance["SecurityGroups"]] == [group]
    assert instance["IamInstanceProfile"]["Arn"].endswith("/lab-profile")
