"""The data plane's spec is what the twin's API says about the lab, read as any client reads it."""

from __future__ import annotations

from typing import Any

from labbox_helpers import client
from stack_helpers import deploy_lab

from labbox.dataplane import spec


def _by_name(current: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {instance["name"]: instance for instance in current["instances"]}


def _table_of(current: dict[str, Any], subnet_cidr: str) -> dict[str, Any]:
    for vpc in current["vpcs"]:
        for subnet in vpc["subnets"]:
            if subnet["cidr"] == subnet_cidr:
                return next(t for t in vpc["route_tables"] if t["id"] == subnet["route_table"])
    raise AssertionError(f"no subnet {subnet_cidr}")


def test_the_lab_from_its_templates_becomes_routes_machines_nat_and_tunnels(cfn, ec2) -> None:
    lab = deploy_lab(cfn, psks=("tunnel1.Key_one", "tunnel2.Key_two"))
    current = spec.region_spec(ec2)

    assert sorted(vpc["cidr"] for vpc in current["vpcs"]) == ["10.50.0.0/16", "10.60.0.0/16"]
    private = _table_of(current, "10.60.1.0/24")["routes"]
    assert {"destination": "10.50.0.0/16", "target": {"type": "interface", "address": "10.60.0.100"}, "state": "active"} in private
    public = _table_of(current, "10.50.1.0/24")["routes"]
    vgw = lab["vpn"]["VpnGatewayId"]
    assert {"destination": "10.60.0.0/16", "target": {"type": "gateway", "gateway_id": vgw}, "state": "active"} in public
    assert any(route["target"]["type"] == "internet_gateway" for route in public)

    instances = _by_name(current)
    assert set(instances) == {"IDC-CGW", "IDC-EC2", "AWS-EC2"}
    cgw = instances["IDC-CGW"]
    assert (cgw["private_ip"], cgw["public_ip"], cgw["source_dest_check"]) == ("10.60.0.100", lab["idc"]["CgwPublicIp"], False)
    assert instances["IDC-EC2"]["source_dest_check"] is True and instances["IDC-EC2"]["public_ip"] is None
    # IDC-EC2 lets SSH in from the gateway's security group: the group becomes its members' addresses.
    assert {"protocol": "tcp", "from": 22, "to": 22, "cidrs": ["10.60.0.100/32"]} in instances["IDC-EC2"]["ingress"]
    assert {"protocol": "icmp", "from": -1, "to": -1, "cidrs": ["10.60.0.0/16"]} in instances["AWS-EC2"]["ingress"]
    assert {"protocol": "50", "from": -1, "to": -1, "cidrs": ["0.0.0.0/0"]} in cgw["ingress"] or any(
        rule["protocol"] == "50" for rule in cgw["ingress"]
    )

    idc_vpc = next(vpc for vpc in current["vpcs"] if vpc["cidr"] == "10.60.0.0/16")
    assert idc_vpc["internet_gateway"]["nat"] == [{"public_ip": lab["idc"]["CgwPublicIp"], "private_ip": "10.60.0.100"}]

    [gateway] = current["gateways"]
    assert (gateway["id"], gateway["vpc_id"]) == (vgw, lab["aws"]["VpcId"])
    [connection] = gateway["connections"]
    assert connection["id"] == lab["vpn"]["VpnConnectionId"]
    assert (connection["customer_gateway_ip"], connection["routes"]) == (lab["idc"]["CgwPublicIp"], ["10.60.0.0/16"])
    assert [t["psk"] for t in connection["tunnels"]] == ["tunnel1.Key_one", "tunnel2.Key_two"]
    assert len({t["outside_ip"] for t in connection["tunnels"]}) == 2
    assert all(t["outside_ip"].startswith("203.0.113.") and not t["stopped"] for t in connection["tunnels"])
    assert all(t["inside_prefix"] == 30 and t["inside_ip_aws"].startswith("169.254.") for t in connection["tunnels"])


def test_the_same_state_gives_an_equal_spec_and_a_change_a_different_one(cfn, ec2) -> None:
    lab = deploy_lab(cfn)
    first, second = spec.region_spec(ec2), spec.region_spec(ec2)
    assert first == second
    ec2.stop_instances(InstanceIds=[lab["aws"]["AwsEc2InstanceId"]])
    stopped = spec.region_spec(ec2)
    # A stopped instance keeps its machine (stopped), and its public address is not mapped.
    assert _by_name(stopped)["AWS-EC2"]["running"] is False and _by_name(first)["AWS-EC2"]["running"] is True
    aws_vpc = next(vpc for vpc in stopped["vpcs"] if vpc["cidr"] == "10.50.0.0/16")
    assert aws_vpc["internet_gateway"]["nat"] == []
    ec2.terminate_instances(InstanceIds=[lab["aws"]["AwsEc2InstanceId"]])
    third = spec.region_spec(ec2)
    assert "AWS-EC2" not in _by_name(third)
    assert third != first


def test_a_stopped_endpoint_is_marked_on_its_tunnel_only(cfn, ec2) -> None:
    lab = deploy_lab(cfn)
    connection_id = lab["vpn"]["VpnConnectionId"]
    first_ip = spec.region_spec(ec2)["gateways"][0]["connections"][0]["tunnels"][0]["outside_ip"]
    tunnels = spec.region_spec(ec2, {(connection_id, first_ip)})["gateways"][0]["connections"][0]["tunnels"]
    assert [t["stopped"] for t in tunnels] == [True, False]


def test_merge_puts_every_region_in_one_spec() -> None:
    one = {"vpcs": [{"id": "vpc-1"}], "instances": [], "gateways": []}
    two = {"vpcs": [{"id": "vpc-2"}], "instances": [{"id": "i-2"}], "gateways": []}
    merged = spec.merge([one, two])
    assert [v["id"] for v in merged["vpcs"]] == ["vpc-1", "vpc-2"]
    assert merged["instances"] == [{"id": "i-2"}]


def test_a_transit_gateway_becomes_its_attachments_route_tables_and_vpn_connections(cfn, ec2) -> None:
    idc = deploy_lab(cfn, psks=("tunnel1.Key_one", "tunnel2.Key_two"))["idc"]
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    tgw_id = ec2.create_transit_gateway(
        Description="lab", Options={"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"}
    )["TransitGateway"]["TransitGatewayId"]
    vpc_attachment = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=[subnet_id])[
        "TransitGatewayVpcAttachment"
    ]["TransitGatewayAttachmentId"]
    table_id = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=vpc_attachment)
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=vpc_attachment)
    cgw_id = ec2.create_customer_gateway(Type="ipsec.1", PublicIp=idc["CgwPublicIp"], BgpAsn=65001)["CustomerGateway"]["CustomerGatewayId"]
    vpn_id = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=cgw_id, TransitGatewayId=tgw_id, Options={"StaticRoutesOnly": True}
    )["VpnConnection"]["VpnConnectionId"]
    (vpn_attachment,) = ec2.describe_transit_gateway_attachments(Filters=[{"Name": "resource-id", "Values": [vpn_id]}])[
        "TransitGatewayAttachments"
    ]
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table_id,
        DestinationCidrBlock="10.60.0.0/16",
        TransitGatewayAttachmentId=vpn_attachment["TransitGatewayAttachmentId"],
    )
    ec2.create_transit_gateway_route(TransitGatewayRouteTableId=table_id, DestinationCidrBlock="10.9.0.0/16", Blackhole=True)

    gateways = spec.region_spec(ec2)["transit_gateways"]
    (gateway,) = gateways

    assert gateway["id"] == tgw_id
    by_type = {a["type"]: a for a in gateway["attachments"]}
    assert by_type["vpc"] == {"id": vpc_attachment, "type": "vpc", "resource_id": vpc_id, "route_table": table_id}
    assert by_type["vpn"]["route_table"] is None  # not associated: the gateway drops what arrives through it
    # Both defaults are off: the gateway's only route table is the one made above.
    (table,) = gateway["route_tables"]
    assert table["id"] == table_id
    assert table["routes"] == [
        {"destination": "10.1.0.0/16", "attachment_id": vpc_attachment},
        {"destination": "10.60.0.0/16", "attachment_id": vpn_attachment["TransitGatewayAttachmentId"]},
        {"destination": "10.9.0.0/16", "attachment_id": None},
    ]
    (connection,) = gateway["connections"]
    assert connection["id"] == vpn_id and connection["attachment_id"] == vpn_attachment["TransitGatewayAttachmentId"]
    assert [len(t["psk"]) > 0 for t in connection["tunnels"]] == [True, True]


PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDFfNPeBVdPvD5mYRGGLAbDjDXd06+UbSIRhIEiU9hQH lab"


def test_an_instance_is_given_exactly_the_key_of_its_key_name_and_none_without_one(ec2) -> None:
    ec2.import_key_pair(KeyName="lab-key", PublicKeyMaterial=PUBLIC_KEY.encode())
    ec2.create_key_pair(KeyName="other-key")
    ec2.run_instances(ImageId="ami-03cf127a", MinCount=1, MaxCount=1, KeyName="lab-key")
    ec2.run_instances(ImageId="ami-03cf127a", MinCount=1, MaxCount=1)
    keys = sorted(instance["authorized_key"] for instance in spec.region_spec(ec2)["instances"])
    assert keys == ["", PUBLIC_KEY]


def test_the_login_user_follows_the_image(image_catalogue) -> None:
    ec2, ssm = client("ec2"), client("ssm")
    for parameter in (
        "/aws/service/debian/release/12/latest/amd64",
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
    ):
        image = ssm.get_parameter(Name=parameter)["Parameter"]["Value"]
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)
    users = sorted(instance["login_user"] for instance in spec.region_spec(ec2)["instances"])
    assert users == ["admin", "ec2-user", "ubuntu"]
