"""Network resources from templates look in EC2 as they would on AWS."""

from __future__ import annotations

import json

from shapes import assert_matches_output_shape
from stack_helpers import AMI, get_att, outputs, ref, security_group, site_template, stack, subnet, template, vpc


def _group(ec2, group_id: str) -> dict:
    response = ec2.describe_security_groups(GroupIds=[group_id])
    assert_matches_output_shape("ec2", "DescribeSecurityGroups", response)
    return response["SecurityGroups"][0]


def test_network_interface_source_dest_check_and_group_set_are_honoured(cfn, ec2):
    cfn.create_stack(StackName="site", TemplateBody=site_template())
    out = outputs(cfn, "site")

    response = ec2.describe_network_interfaces(NetworkInterfaceIds=[out["GatewayEniId"]])
    assert_matches_output_shape("ec2", "DescribeNetworkInterfaces", response)
    eni = response["NetworkInterfaces"][0]
    assert eni["SourceDestCheck"] is False
    assert eni["PrivateIpAddress"] == "10.60.0.100"
    assert [g["GroupId"] for g in eni["Groups"]] == [out["GatewayGroupId"]]
    assert eni["Association"]["PublicIp"] == out["GatewayPublicIp"]


def test_all_protocol_rule_without_ports_is_accepted_and_has_no_ports(cfn, ec2):
    cfn.create_stack(StackName="site", TemplateBody=site_template())

    rules = _group(ec2, outputs(cfn, "site")["GatewayGroupId"])["IpPermissions"]

    everything = [r for r in rules if r["IpProtocol"] == "-1"]
    assert len(everything) == 1
    assert "FromPort" not in everything[0] and "ToPort" not in everything[0]
    assert everything[0]["IpRanges"] == [{"CidrIp": "10.0.0.0/8"}]
    ike = [r for r in rules if r["IpProtocol"] == "udp"]
    assert (ike[0]["FromPort"], ike[0]["ToPort"]) == (500, 500)


def _rules_template(ingress: list, egress: list | None = None) -> str:
    group = security_group("Vpc", SecurityGroupIngress=ingress)
    if egress is not None:
        group["Properties"]["SecurityGroupEgress"] = egress
    return template({"Vpc": vpc(), "Group": group}, outputs={"GroupId": get_att("Group", "GroupId")})


def test_egress_rules_replace_the_default_allow_all(cfn, ec2):
    body = _rules_template([], egress=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}])
    cfn.create_stack(StackName="lab", TemplateBody=body)

    egress = _group(ec2, outputs(cfn, "lab")["GroupId"])["IpPermissionsEgress"]

    assert [(r["IpProtocol"], r.get("FromPort"), r["IpRanges"]) for r in egress] == [
        ("tcp", 443, [{"CidrIp": "0.0.0.0/0"}])
    ]


def test_rule_changes_update_the_group_in_place(cfn, ec2):
    cfn.create_stack(
        StackName="lab",
        TemplateBody=_rules_template([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "192.0.2.0/24"}]),
    )
    group_id = outputs(cfn, "lab")["GroupId"]

    cfn.update_stack(
        StackName="lab",
        TemplateBody=_rules_template(
            [{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "CidrIp": "10.0.0.0/8", "Description": "ping"}]
        ),
    )

    assert stack(cfn, "lab")["StackStatus"] == "UPDATE_COMPLETE"
    assert outputs(cfn, "lab")["GroupId"] == group_id
    rules = _group(ec2, group_id)["IpPermissions"]
    assert [(r["IpProtocol"], r["IpRanges"]) for r in rules] == [
        ("icmp", [{"CidrIp": "10.0.0.0/8", "Description": "ping"}])
    ]
    egress = _group(ec2, group_id)["IpPermissionsEgress"]
    assert [(r["IpProtocol"], r["IpRanges"]) for r in egress] == [("-1", [{"CidrIp": "0.0.0.0/0"}])]


def test_subnet_route_table_association_shows_in_the_route_table(cfn, ec2):
    cfn.create_stack(StackName="site", TemplateBody=site_template())
    out = outputs(cfn, "site")

    response = ec2.describe_route_tables(RouteTableIds=[out["PrivateRouteTableId"]])
    assert_matches_output_shape("ec2", "DescribeRouteTables", response)
    table = response["RouteTables"][0]
    assert [a["SubnetId"] for a in table["Associations"]] == [out["PrivateSubnetId"]]
    assert table["Associations"][0]["RouteTableAssociationId"].startswith("rtbassoc-")
    routes = {r["DestinationCidrBlock"]: r for r in table["Routes"]}
    assert routes["10.50.0.0/16"]["NetworkInterfaceId"] == out["GatewayEniId"]


def test_route_target_change_is_an_in_place_update(cfn, ec2):
    def body(target: str) -> str:
        return template(
            {
                "Vpc": vpc(),
                "Public": subnet("Vpc", "10.60.0.0/24"),
                "First": {"Type": "AWS::EC2::NetworkInterface", "Properties": {"SubnetId": ref("Public")}},
                "Second": {"Type": "AWS::EC2::NetworkInterface", "Properties": {"SubnetId": ref("Public")}},
                "Table": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": ref("Vpc")}},
                "Route": {
                    "Type": "AWS::EC2::Route",
                    "Properties": {
                        "RouteTableId": ref("Table"),
                        "DestinationCidrBlock": "10.50.0.0/16",
                        "NetworkInterfaceId": ref(target),
                    },
                },
            },
            outputs={"Table": ref("Table"), "Second": ref("Second")},
        )

    cfn.create_stack(StackName="lab", TemplateBody=body("First"))
    cfn.update_stack(StackName="lab", TemplateBody=body("Second"))

    out = outputs(cfn, "lab")
    assert stack(cfn, "lab")["StackStatus"] == "UPDATE_COMPLETE"
    routes = ec2.describe_route_tables(RouteTableIds=[out["Table"]])["RouteTables"][0]["Routes"]
    assert [r.get("NetworkInterfaceId") for r in routes if r["DestinationCidrBlock"] == "10.50.0.0/16"] == [
        out["Second"]
    ]


def test_public_subnet_gives_instances_a_public_address(cfn, ec2):
    body = template(
        {
            "Vpc": vpc(),
            "Public": subnet("Vpc", "10.60.0.0/24", MapPublicIpOnLaunch=True),
            "Server": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": AMI, "SubnetId": ref("Public")}},
        },
        outputs={"Server": ref("Server"), "Public": ref("Public")},
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)
    out = outputs(cfn, "lab")

    assert ec2.describe_subnets(SubnetIds=[out["Public"]])["Subnets"][0]["MapPublicIpOnLaunch"] is True
    server = ec2.describe_instances(InstanceIds=[out["Server"]])["Reservations"][0]["Instances"][0]
    assert server["PublicIpAddress"].startswith("198.51.100.")


def test_vpc_dns_attributes_follow_the_template(cfn, ec2):
    cfn.create_stack(
        StackName="lab", TemplateBody=template({"Vpc": vpc(EnableDnsHostnames=True)}, outputs={"Vpc": ref("Vpc")})
    )
    vpc_id = outputs(cfn, "lab")["Vpc"]
    assert (
        ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"] is True
    )

    cfn.update_stack(
        StackName="lab", TemplateBody=template({"Vpc": vpc(EnableDnsHostnames=False)}, outputs={"Vpc": ref("Vpc")})
    )

    assert outputs(cfn, "lab")["Vpc"] == vpc_id
    assert (
        ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"] is False
    )


def test_tags_update_in_place_and_removed_tags_go(cfn, ec2):
    def body(tags: list) -> str:
        return json.dumps({"Resources": {"Vpc": vpc(Tags=tags)}, "Outputs": {"Vpc": {"Value": ref("Vpc")}}})

    cfn.create_stack(StackName="lab", TemplateBody=body([{"Key": "Name", "Value": "a"}, {"Key": "Old", "Value": "x"}]))
    vpc_id = outputs(cfn, "lab")["Vpc"]
    cfn.update_stack(StackName="lab", TemplateBody=body([{"Key": "Name", "Value": "b"}]))

    tags = {t["Key"]: t["Value"] for t in ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["Tags"]}
    assert tags["Name"] == "b" and "Old" not in tags
    assert tags["aws:cloudformation:logical-id"] == "Vpc"
    assert tags["aws:cloudformation:stack-name"] == "lab"
