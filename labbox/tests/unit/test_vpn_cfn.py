"""The VPN's CloudFormation types: created, updated or replaced, and deleted like AWS does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from shapes import assert_matches_output_shape

STACK = "hybridlab-vpn"
IDC_CIDR = "10.60.0.0/16"

# The lab's six VPN steps, reduced to what these tests change.
TEMPLATE = {
    "Parameters": {
        "VpcId": {"Type": "String"},
        "RouteTableIds": {"Type": "CommaDelimitedList"},
        "CgwPublicIp": {"Type": "String", "Default": "198.51.100.10"},
        "Tunnel1Psk": {"Type": "String", "NoEcho": True, "Default": "cloudneta"},
        "Tunnel2Psk": {"Type": "String", "NoEcho": True, "Default": "cloudneta"},
        "ConnectionName": {"Type": "String", "Default": "IDC-AWS-VPN"},
        "Tunnel1InsideCidr": {"Type": "String", "Default": ""},
        "VgwAsn": {"Type": "Number", "Default": 64512},
    },
    "Conditions": {"HasTunnel1InsideCidr": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Tunnel1InsideCidr"}, ""]}]}},
    "Resources": {
        "VpnGateway": {
            "Type": "AWS::EC2::VPNGateway",
            "Properties": {
                "Type": "ipsec.1",
                "AmazonSideAsn": {"Ref": "VgwAsn"},
                "Tags": [{"Key": "Name", "Value": "AWS-VPNGW"}],
            },
        },
        "VpnGatewayAttachment": {
            "Type": "AWS::EC2::VPCGatewayAttachment",
            "Properties": {"VpcId": {"Ref": "VpcId"}, "VpnGatewayId": {"Ref": "VpnGateway"}},
        },
        "CustomerGateway": {
            "Type": "AWS::EC2::CustomerGateway",
            "Properties": {
                "Type": "ipsec.1",
                "IpAddress": {"Ref": "CgwPublicIp"},
                "BgpAsn": 65000,
                "Tags": [{"Key": "Name", "Value": "IDC-VPN-CGW"}],
            },
        },
        "VpnConnection": {
            "Type": "AWS::EC2::VPNConnection",
            "DependsOn": "VpnGatewayAttachment",
            "Properties": {
                "Type": "ipsec.1",
                "VpnGatewayId": {"Ref": "VpnGateway"},
                "CustomerGatewayId": {"Ref": "CustomerGateway"},
                "StaticRoutesOnly": True,
                "VpnTunnelOptionsSpecifications": [
                    {
                        "PreSharedKey": {"Ref": "Tunnel1Psk"},
                        "TunnelInsideCidr": {
                            "Fn::If": ["HasTunnel1InsideCidr", {"Ref": "Tunnel1InsideCidr"}, {"Ref": "AWS::NoValue"}]
                        },
                    },
                    {"PreSharedKey": {"Ref": "Tunnel2Psk"}},
                ],
                "Tags": [{"Key": "Name", "Value": {"Ref": "ConnectionName"}}],
            },
        },
        "IdcVpcRoute": {
            "Type": "AWS::EC2::VPNConnectionRoute",
            "Properties": {"VpnConnectionId": {"Ref": "VpnConnection"}, "DestinationCidrBlock": IDC_CIDR},
        },
        "Propagation": {
            "Type": "AWS::EC2::VPNGatewayRoutePropagation",
            "DependsOn": "VpnGatewayAttachment",
            "Properties": {"VpnGatewayId": {"Ref": "VpnGateway"}, "RouteTableIds": {"Ref": "RouteTableIds"}},
        },
    },
    "Outputs": {
        "VpnConnectionId": {"Value": {"Ref": "VpnConnection"}},
        "VpnConnectionIdAttribute": {"Value": {"Fn::GetAtt": ["VpnConnection", "VpnConnectionId"]}},
        "VpnGatewayId": {"Value": {"Ref": "VpnGateway"}},
        "CustomerGatewayId": {"Value": {"Ref": "CustomerGateway"}},
    },
}


@pytest.fixture
def vpc(ec2) -> dict[str, str]:
    vpc_id = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"][0]["RouteTableId"]
    public = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    return {"vpc_id": vpc_id, "main_rtb": main, "public_rtb": public}


def parameters(vpc: dict[str, str], **values: str) -> list[dict[str, str]]:
    given = {"VpcId": vpc["vpc_id"], "RouteTableIds": vpc["public_rtb"], **values}
    return [{"ParameterKey": key, "ParameterValue": value} for key, value in given.items()]


def stack(cfn: Any) -> dict[str, Any]:
    response = cfn.describe_stacks(StackName=STACK)
    assert_matches_output_shape("cloudformation", "DescribeStacks", response)
    return response["Stacks"][0]


def outputs(cfn: Any) -> dict[str, str]:
    return {output["OutputKey"]: output["OutputValue"] for output in stack(cfn).get("Outputs", [])}


def failure_reasons(cfn: Any) -> list[str]:
    events = cfn.describe_stack_events(StackName=STACK)["StackEvents"]
    return [str(e.get("ResourceStatusReason")) for e in events if e["ResourceStatus"].endswith("_FAILED")]


def create(cfn: Any, vpc: dict[str, str], **values: str) -> dict[str, str]:
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(TEMPLATE), Parameters=parameters(vpc, **values))
    assert stack(cfn)["StackStatus"] == "CREATE_COMPLETE", failure_reasons(cfn)
    return outputs(cfn)


def update(cfn: Any, vpc: dict[str, str], **values: str) -> dict[str, str]:
    cfn.update_stack(StackName=STACK, TemplateBody=json.dumps(TEMPLATE), Parameters=parameters(vpc, **values))
    assert stack(cfn)["StackStatus"] == "UPDATE_COMPLETE", failure_reasons(cfn)
    return outputs(cfn)


def connection(ec2: Any, vpn_id: str) -> dict[str, Any]:
    response = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])
    assert_matches_output_shape("ec2", "DescribeVpnConnections", response)
    return response["VpnConnections"][0]


def tunnel_ips(vpn: dict[str, Any]) -> list[str]:
    return [tunnel["OutsideIpAddress"] for tunnel in vpn["Options"]["TunnelOptions"]]


def propagated_cidrs(ec2: Any, route_table_id: str) -> list[str]:
    table = ec2.describe_route_tables(RouteTableIds=[route_table_id])["RouteTables"][0]
    return [r["DestinationCidrBlock"] for r in table["Routes"] if r.get("Origin") == "EnableVgwRoutePropagation"]


def tags(resource: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def test_vpn_stack_creates_every_vpn_resource(cfn, ec2, vpc) -> None:
    out = create(cfn, vpc, Tunnel1InsideCidr="169.254.10.0/30")

    vgw = ec2.describe_vpn_gateways(VpnGatewayIds=[out["VpnGatewayId"]])["VpnGateways"][0]
    assert vgw["AmazonSideAsn"] == 64512
    assert vgw["VpcAttachments"] == [{"VpcId": vpc["vpc_id"], "State": "attached"}]
    assert tags(vgw)["Name"] == "AWS-VPNGW"
    assert tags(vgw)["aws:cloudformation:logical-id"] == "VpnGateway"
    cgw = ec2.describe_customer_gateways(CustomerGatewayIds=[out["CustomerGatewayId"]])["CustomerGateways"][0]
    assert (cgw["IpAddress"], cgw["BgpAsn"], tags(cgw)["Name"]) == ("198.51.100.10", "65000", "IDC-VPN-CGW")

    vpn = connection(ec2, out["VpnConnectionId"])
    assert out["VpnConnectionIdAttribute"] == out["VpnConnectionId"]
    assert (vpn["VpnGatewayId"], vpn["CustomerGatewayId"]) == (out["VpnGatewayId"], out["CustomerGatewayId"])
    assert vpn["Options"]["StaticRoutesOnly"] is True
    first, second = vpn["Options"]["TunnelOptions"]
    assert (first["PreSharedKey"], first["TunnelInsideCidr"]) == ("cloudneta", "169.254.10.0/30")
    assert second["PreSharedKey"] == "cloudneta"
    assert tags(vpn)["Name"] == "IDC-AWS-VPN"
    assert vpn["Routes"] == [{"DestinationCidrBlock": IDC_CIDR, "Source": "Static", "State": "available"}]
    assert "198.51.100.10" in vpn["CustomerGatewayConfiguration"]

    assert propagated_cidrs(ec2, vpc["public_rtb"]) == [IDC_CIDR]
    assert propagated_cidrs(ec2, vpc["main_rtb"]) == []
    resources = cfn.describe_stack_resources(StackName=STACK)
    assert_matches_output_shape("cloudformation", "DescribeStackResources", resources)
    assert {r["LogicalResourceId"]: r["ResourceStatus"] for r in resources["StackResources"]} == {
        name: "CREATE_COMPLETE" for name in TEMPLATE["Resources"]
    }


def test_psk_change_replaces_the_connection_with_new_tunnel_ips(cfn, ec2, vpc) -> None:
    old = create(cfn, vpc)
    old_vpn = connection(ec2, old["VpnConnectionId"])

    new = update(cfn, vpc, Tunnel1Psk="new_key.1", Tunnel2Psk="new_key.2")

    assert new["VpnConnectionId"] != old["VpnConnectionId"]
    assert connection(ec2, old["VpnConnectionId"])["State"] == "deleted"
    new_vpn = connection(ec2, new["VpnConnectionId"])
    assert new_vpn["State"] == "available"
    assert set(tunnel_ips(new_vpn)).isdisjoint(tunnel_ips(old_vpn))
    assert [t["PreSharedKey"] for t in new_vpn["Options"]["TunnelOptions"]] == ["new_key.1", "new_key.2"]
    # The route resource follows the replacement onto the new connection.
    assert [r["DestinationCidrBlock"] for r in new_vpn["Routes"]] == [IDC_CIDR]
    assert propagated_cidrs(ec2, vpc["public_rtb"]) == [IDC_CIDR]
    # Gateways did not change.
    assert (new["VpnGatewayId"], new["CustomerGatewayId"]) == (old["VpnGatewayId"], old["CustomerGatewayId"])
    assert tags(new_vpn)["aws:cloudformation:logical-id"] == "VpnConnection"


def test_customer_gateway_ip_change_replaces_gateway_and_connection(cfn, ec2, vpc) -> None:
    old = create(cfn, vpc)
    old_ips = tunnel_ips(connection(ec2, old["VpnConnectionId"]))
    new = update(cfn, vpc, CgwPublicIp="198.51.100.77")
    assert new["CustomerGatewayId"] != old["CustomerGatewayId"]
    assert new["VpnConnectionId"] != old["VpnConnectionId"]
    old_cgw = ec2.describe_customer_gateways(CustomerGatewayIds=[old["CustomerGatewayId"]])["CustomerGateways"][0]
    assert old_cgw["State"] == "deleted"
    new_vpn = connection(ec2, new["VpnConnectionId"])
    assert new_vpn["CustomerGatewayId"] == new["CustomerGatewayId"]
    assert "198.51.100.77" in new_vpn["CustomerGatewayConfiguration"]
    assert set(tunnel_ips(new_vpn)).isdisjoint(old_ips)


def test_replacement_keeping_a_given_inside_cidr_fails_and_rolls_back(cfn, ec2, vpc) -> None:
    """AWS: given inside CIDRs are unique among a gateway's connections, and CloudFormation
    creates the replacement while the old connection still holds the CIDR."""
    old = create(cfn, vpc, Tunnel1InsideCidr="169.254.10.0/30")
    cfn.update_stack(
        StackName=STACK,
        TemplateBody=json.dumps(TEMPLATE),
        Parameters=parameters(vpc, Tunnel1InsideCidr="169.254.10.0/30", Tunnel1Psk="new_key.1"),
    )
    assert stack(cfn)["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert any("TunnelInsideCidr" in reason for reason in failure_reasons(cfn))
    assert outputs(cfn)["VpnConnectionId"] == old["VpnConnectionId"]
    vpn = connection(ec2, old["VpnConnectionId"])
    assert vpn["State"] == "available"
    assert vpn["Options"]["TunnelOptions"][0]["PreSharedKey"] == "cloudneta"
    assert [c["State"] for c in ec2.describe_vpn_connections()["VpnConnections"]] == ["available"]


def test_asn_change_replaces_the_gateway_and_moves_everything_onto_it(cfn, ec2, vpc) -> None:
    old = create(cfn, vpc)
    new = update(cfn, vpc, VgwAsn="65100")

    assert new["VpnGatewayId"] != old["VpnGatewayId"]
    gateways = {g["VpnGatewayId"]: g for g in ec2.describe_vpn_gateways()["VpnGateways"]}
    assert gateways[old["VpnGatewayId"]]["State"] == "deleted"
    assert gateways[old["VpnGatewayId"]]["VpcAttachments"] == [{"VpcId": vpc["vpc_id"], "State": "detached"}]
    assert gateways[new["VpnGatewayId"]]["AmazonSideAsn"] == 65100
    assert gateways[new["VpnGatewayId"]]["VpcAttachments"] == [{"VpcId": vpc["vpc_id"], "State": "attached"}]
    vpn = connection(ec2, new["VpnConnectionId"])
    assert new["VpnConnectionId"] != old["VpnConnectionId"]
    assert vpn["VpnGatewayId"] == new["VpnGatewayId"]
    assert [r["DestinationCidrBlock"] for r in vpn["Routes"]] == [IDC_CIDR]
    table = ec2.describe_route_tables(RouteTableIds=[vpc["public_rtb"]])["RouteTables"][0]
    assert table["PropagatingVgws"] == [{"GatewayId": new["VpnGatewayId"]}]
    assert propagated_cidrs(ec2, vpc["public_rtb"]) == [IDC_CIDR]


def test_tag_change_updates_the_connection_in_place(cfn, ec2, vpc) -> None:
    old = create(cfn, vpc)
    old_ips = tunnel_ips(connection(ec2, old["VpnConnectionId"]))
    new = update(cfn, vpc, ConnectionName="renamed-vpn")
    assert new["VpnConnectionId"] == old["VpnConnectionId"]
    vpn = connection(ec2, new["VpnConnectionId"])
    assert tags(vpn)["Name"] == "renamed-vpn"
    assert tunnel_ips(vpn) == old_ips


def test_propagation_route_tables_update_in_place(cfn, ec2, vpc) -> None:
    create(cfn, vpc)
    update(cfn, vpc, RouteTableIds=vpc["main_rtb"])
    assert propagated_cidrs(ec2, vpc["main_rtb"]) == [IDC_CIDR]
    assert propagated_cidrs(ec2, vpc["public_rtb"]) == []


def test_vpn_stack_delete_removes_everything(cfn, ec2, vpc) -> None:
    out = create(cfn, vpc)
    cfn.delete_stack(StackName=STACK)

    assert connection(ec2, out["VpnConnectionId"])["State"] == "deleted"
    vgw = ec2.describe_vpn_gateways(VpnGatewayIds=[out["VpnGatewayId"]])["VpnGateways"][0]
    assert vgw["State"] == "deleted"
    assert vgw["VpcAttachments"] == [{"VpcId": vpc["vpc_id"], "State": "detached"}]
    cgw = ec2.describe_customer_gateways(CustomerGatewayIds=[out["CustomerGatewayId"]])["CustomerGateways"][0]
    assert cgw["State"] == "deleted"
    table = ec2.describe_route_tables(RouteTableIds=[vpc["public_rtb"]])["RouteTables"][0]
    assert table.get("PropagatingVgws", []) == []
    assert propagated_cidrs(ec2, vpc["public_rtb"]) == []
    # Nothing of the VPN stack holds the VPC any more.
    ec2.delete_route_table(RouteTableId=vpc["public_rtb"])
    ec2.delete_vpc(VpcId=vpc["vpc_id"])
    assert [s["StackName"] for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"] == []


def test_invalid_psk_fails_the_stack_with_aws_reason(cfn, ec2, vpc) -> None:
    cfn.create_stack(
        StackName=STACK, TemplateBody=json.dumps(TEMPLATE), Parameters=parameters(vpc, Tunnel1Psk="0not-valid")
    )
    assert stack(cfn)["StackStatus"] == "ROLLBACK_COMPLETE"
    assert any("InvalidParameterValue" in reason and "PreSharedKey" in reason for reason in failure_reasons(cfn))
    # The rollback removed what had been created before the connection failed.
    assert [g["State"] for g in ec2.describe_vpn_gateways()["VpnGateways"]] == ["deleted"]
    assert ec2.describe_vpn_connections()["VpnConnections"] == []
