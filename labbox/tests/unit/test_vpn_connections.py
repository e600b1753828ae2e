"""VPN connections through the EC2 API: what AWS returns, and how it validates."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from botocore.exceptions import ClientError
from shapes import assert_matches_output_shape

from labbox.cloud.vpn_addresses import OUTSIDE_IP_POOL, validate_pre_shared_key, validate_tunnel_inside_cidr
from labbox.cloud.vpn_connections import outside_ips_in_use


def create_vpn(ec2: Any, network: dict[str, str], **options: Any) -> dict[str, Any]:
    response = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=network["cgw_id"],
        VpnGatewayId=network["vgw_id"],
        Options={"StaticRoutesOnly": True, **options},
    )
    assert_matches_output_shape("ec2", "CreateVpnConnection", response)
    return response["VpnConnection"]


def describe_vpn(ec2: Any, vpn_id: str) -> dict[str, Any]:
    response = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])
    assert_matches_output_shape("ec2", "DescribeVpnConnections", response)
    return response["VpnConnections"][0]


def outside_ips(connection: dict[str, Any]) -> list[str]:
    return [tunnel["OutsideIpAddress"] for tunnel in connection["Options"]["TunnelOptions"]]


def test_vpn_connection_described_like_aws(ec2, vpn_network) -> None:
    created = create_vpn(ec2, vpn_network)
    vpn = describe_vpn(ec2, created["VpnConnectionId"])

    assert vpn["Category"] == "VPN"
    assert vpn["State"] == "available"
    assert vpn["Type"] == "ipsec.1"
    assert vpn["CustomerGatewayId"] == vpn_network["cgw_id"]
    assert vpn["VpnGatewayId"] == vpn_network["vgw_id"]
    assert "TransitGatewayId" not in vpn
    options = vpn["Options"]
    assert options["StaticRoutesOnly"] is True
    assert options["LocalIpv4NetworkCidr"] == options["RemoteIpv4NetworkCidr"] == "0.0.0.0/0"
    assert options["TunnelInsideIpVersion"] == "ipv4"
    assert options["OutsideIpAddressType"] == "PublicIpv4"
    assert len(options["TunnelOptions"]) == 2
    for tunnel in options["TunnelOptions"]:
        assert tunnel["Phase1LifetimeSeconds"] == 28800
        assert tunnel["Phase2LifetimeSeconds"] == 3600
        assert tunnel["DpdTimeoutSeconds"] == 30
        assert tunnel["DpdTimeoutAction"] == "clear"
        assert {"Value": "AES128"} in tunnel["Phase1EncryptionAlgorithms"]
        assert {"Value": 14} in tunnel["Phase2DHGroupNumbers"]
        assert tunnel["IkeVersions"] == [{"Value": "ikev1"}, {"Value": "ikev2"}]
        validate_pre_shared_key(tunnel["PreSharedKey"])
        validate_tunnel_inside_cidr(tunnel["TunnelInsideCidr"])
    assert [entry["OutsideIpAddress"] for entry in vpn["VgwTelemetry"]] == outside_ips(vpn)
    for entry in vpn["VgwTelemetry"]:
        assert entry["Status"] == "DOWN"
        assert entry["StatusMessage"] == "IPSEC IS DOWN"
        assert entry["AcceptedRouteCount"] == 0
        assert entry["LastStatusChange"].tzinfo is not None
    assert vpn["Routes"] == []
    # What create answered is what describe shows.
    assert created["Options"] == vpn["Options"]
    assert created["CustomerGatewayConfiguration"] == vpn["CustomerGatewayConfiguration"]


def test_two_distinct_outside_ips_from_documentation_range(ec2, vpn_network) -> None:
    ips = outside_ips(create_vpn(ec2, vpn_network))
    assert len(set(ips)) == 2
    assert all(ipaddress.IPv4Address(ip) in OUTSIDE_IP_POOL for ip in ips)


def test_outside_ips_never_shared_between_live_connections(ec2, vpn_network) -> None:
    seen: list[str] = []
    for _ in range(6):
        seen += outside_ips(create_vpn(ec2, vpn_network))
    assert len(seen) == len(set(seen)) == 12


def test_vpn_replacement_gives_new_tunnel_ips(ec2, vpn_network) -> None:
    """A replacement is created before the old connection is deleted, as CloudFormation does."""
    old = create_vpn(ec2, vpn_network)
    new = create_vpn(ec2, vpn_network)
    ec2.delete_vpn_connection(VpnConnectionId=old["VpnConnectionId"])
    assert set(outside_ips(new)).isdisjoint(outside_ips(old))
    # Even once freed, the old IPs are not what the next connection gets.
    after = create_vpn(ec2, vpn_network)
    assert set(outside_ips(after)).isdisjoint(outside_ips(old) + outside_ips(new))


def test_deleted_connection_frees_its_outside_ips(ec2, vpn_network) -> None:
    vpn = create_vpn(ec2, vpn_network)
    ec2.delete_vpn_connection(VpnConnectionId=vpn["VpnConnectionId"])
    deleted = describe_vpn(ec2, vpn["VpnConnectionId"])
    assert deleted["State"] == "deleted"
    assert outside_ips_in_use().isdisjoint(outside_ips(vpn))


def test_given_psks_and_inside_cidrs_are_used_in_tunnel_order(ec2, vpn_network) -> None:
    vpn = create_vpn(
        ec2,
        vpn_network,
        TunnelOptions=[
            {"PreSharedKey": "cloudneta", "TunnelInsideCidr": "169.254.10.0/30"},
            {"PreSharedKey": "second_key.2", "TunnelInsideCidr": "169.254.11.0/30"},
        ],
    )
    tunnels = describe_vpn(ec2, vpn["VpnConnectionId"])["Options"]["TunnelOptions"]
    assert [(t["PreSharedKey"], t["TunnelInsideCidr"]) for t in tunnels] == [
        ("cloudneta", "169.254.10.0/30"),
        ("second_key.2", "169.254.11.0/30"),
    ]


def test_tunnel_phase_options_given_are_reported(ec2, vpn_network) -> None:
    vpn = create_vpn(
        ec2,
        vpn_network,
        TunnelOptions=[
            {"Phase1DHGroupNumbers": [{"Value": 14}], "DPDTimeoutSeconds": 40, "IKEVersions": [{"Value": "ikev1"}]}
        ],
    )
    first, second = describe_vpn(ec2, vpn["VpnConnectionId"])["Options"]["TunnelOptions"]
    assert first["Phase1DHGroupNumbers"] == [{"Value": 14}]
    assert first["DpdTimeoutSeconds"] == 40
    assert first["IkeVersions"] == [{"Value": "ikev1"}]
    assert second["DpdTimeoutSeconds"] == 30


def test_generated_psks_and_inside_cidrs_are_distinct(ec2, vpn_network) -> None:
    cidrs: list[str] = []
    keys: list[str] = []
    for _ in range(4):
        for tunnel in create_vpn(ec2, vpn_network)["Options"]["TunnelOptions"]:
            cidrs.append(tunnel["TunnelInsideCidr"])
            keys.append(tunnel["PreSharedKey"])
    assert len(set(cidrs)) == len(cidrs) == 8
    assert len(set(keys)) == len(keys) == 8


def test_invalid_tunnel_options_refused_with_invalid_parameter_value(ec2, vpn_network) -> None:
    # The full matrix of AWS's rules is in test_vpn_addresses / test_vpn_tunnels; here: the API answer.
    cases = [
        ({"PreSharedKey": "0starts_with_zero"}, "PreSharedKey"),
        ({"PreSharedKey": "bad-char-key"}, "PreSharedKey"),
        ({"TunnelInsideCidr": "169.254.169.252/30"}, "TunnelInsideCidr"),
        ({"TunnelInsideCidr": "10.0.0.0/30"}, "TunnelInsideCidr"),
        ({"DPDTimeoutSeconds": 5}, "DPDTimeoutSeconds"),
    ]
    for tunnel, parameter in cases:
        with pytest.raises(ClientError) as caught:
            create_vpn(ec2, vpn_network, TunnelOptions=[tunnel])
        error = caught.value.response["Error"]
        assert error["Code"] == "InvalidParameterValue", tunnel
        assert error["Message"].startswith(f"Value for parameter {parameter} is invalid."), error
    assert ec2.describe_vpn_connections()["VpnConnections"] == []


def test_inside_cidr_unique_per_gateway(ec2, vpn_network) -> None:
    create_vpn(ec2, vpn_network, TunnelOptions=[{"TunnelInsideCidr": "169.254.10.0/30"}])
    with pytest.raises(ClientError) as caught:
        create_vpn(ec2, vpn_network, TunnelOptions=[{"TunnelInsideCidr": "169.254.10.0/30"}])
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_connection_needs_exactly_one_gateway(ec2, vpn_network) -> None:
    tgw_id = ec2.create_transit_gateway(Description="lab")["TransitGateway"]["TransitGatewayId"]
    with pytest.raises(ClientError) as both:
        ec2.create_vpn_connection(
            Type="ipsec.1",
            CustomerGatewayId=vpn_network["cgw_id"],
            VpnGatewayId=vpn_network["vgw_id"],
            TransitGatewayId=tgw_id,
        )
    assert both.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as neither:
        ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=vpn_network["cgw_id"])
    assert neither.value.response["Error"]["Code"] == "MissingParameter"


def test_unknown_or_deleted_gateways_refused(ec2, vpn_network) -> None:
    request = {"Type": "ipsec.1", "CustomerGatewayId": vpn_network["cgw_id"], "VpnGatewayId": vpn_network["vgw_id"]}
    for change, code in [
        ({"CustomerGatewayId": "cgw-0123456789abcdef0"}, "InvalidCustomerGatewayID.NotFound"),
        ({"VpnGatewayId": "vgw-0123456789abcdef0"}, "InvalidVpnGatewayID.NotFound"),
        ({"TransitGatewayId": "tgw-0123456789abcdef0", "VpnGatewayId": None}, "InvalidTransitGatewayID.NotFound"),
    ]:
        arguments = {key: value for key, value in {**request, **change}.items() if value is not None}
        with pytest.raises(ClientError) as caught:
            ec2.create_vpn_connection(**arguments)
        assert caught.value.response["Error"]["Code"] == code
    ec2.delete_customer_gateway(CustomerGatewayId=vpn_network["cgw_id"])
    with pytest.raises(ClientError) as caught:
        ec2.create_vpn_connection(**request)
    assert caught.value.response["Error"]["Code"] == "InvalidCustomerGatewayID.NotFound"


def test_tags_and_filters(ec2, vpn_network) -> None:
    tagged = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=vpn_network["cgw_id"],
        VpnGatewayId=vpn_network["vgw_id"],
        Options={"StaticRoutesOnly": True},
        TagSpecifications=[{"ResourceType": "vpn-connection", "Tags": [{"Key": "Name", "Value": "IDC-VPN"}]}],
    )["VpnConnection"]
    other = create_vpn(ec2, vpn_network)
    ec2.delete_vpn_connection(VpnConnectionId=other["VpnConnectionId"])
    assert tagged["Tags"] == [{"Key": "Name", "Value": "IDC-VPN"}]

    def ids(*filters: dict[str, Any]) -> list[str]:
        response = ec2.describe_vpn_connections(Filters=list(filters))
        assert_matches_output_shape("ec2", "DescribeVpnConnections", response)
        return [vpn["VpnConnectionId"] for vpn in response["VpnConnections"]]

    assert ids({"Name": "tag:Name", "Values": ["IDC-VPN"]}) == [tagged["VpnConnectionId"]]
    assert ids({"Name": "state", "Values": ["available"]}) == [tagged["VpnConnectionId"]]
    assert ids(
        {"Name": "vpn-gateway-id", "Values": [vpn_network["vgw_id"]]}, {"Name": "state", "Values": ["deleted"]}
    ) == [other["VpnConnectionId"]]
    assert ids({"Name": "customer-gateway-id", "Values": [vpn_network["cgw_id"]]}) == [
        tagged["VpnConnectionId"],
        other["VpnConnectionId"],
    ]
    assert ids({"Name": "option.static-routes-only", "Values": ["true"]}) == [
        tagged["VpnConnectionId"],
        other["VpnConnectionId"],
    ]


def test_transit_gateway_connection_works_the_same(ec2, vpn_network) -> None:
    tgw_id = ec2.create_transit_gateway(Description="lab", Options={"AmazonSideAsn": 64600})["TransitGateway"][
        "TransitGatewayId"
    ]
    response = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=vpn_network["cgw_id"],
        TransitGatewayId=tgw_id,
        Options={"StaticRoutesOnly": True},
    )
    assert_matches_output_shape("ec2", "CreateVpnConnection", response)
    vpn = describe_vpn(ec2, response["VpnConnection"]["VpnConnectionId"])
    assert vpn["TransitGatewayId"] == tgw_id
    assert "VpnGatewayId" not in vpn
    assert len(set(outside_ips(vpn))) == 2
    assert [entry["Status"] for entry in vpn["VgwTelemetry"]] == ["DOWN", "DOWN"]
    assert f"<transit_gateway_id>{tgw_id}</transit_gateway_id>" in vpn["CustomerGatewayConfiguration"]
    attachments = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-id", "Values": [vpn["VpnConnectionId"]]}]
    )["TransitGatewayAttachments"]
    assert [(a["ResourceType"], a["TransitGatewayId"]) for a in attachments] == [("vpn", tgw_id)]


def test_customer_and_vpn_gateways_described_like_aws(ec2) -> None:
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.20")
    assert_matches_output_shape("ec2", "CreateCustomerGateway", cgw)
    assert cgw["CustomerGateway"]["BgpAsn"] == "65000"
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")
    assert_matches_output_shape("ec2", "CreateVpnGateway", vgw)
    assert vgw["VpnGateway"]["AmazonSideAsn"] == 64512
    described = ec2.describe_vpn_gateways()
    assert_matches_output_shape("ec2", "DescribeVpnGateways", described)
    assert_matches_output_shape("ec2", "DescribeCustomerGateways", ec2.describe_customer_gateways())
    with pytest.raises(ClientError) as caught:
        ec2.create_vpn_gateway(Type="ipsec.1", AmazonSideAsn=100)
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as caught:
        ec2.create_customer_gateway(Type="ipsec.1", PublicIp="not-an-ip")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"
