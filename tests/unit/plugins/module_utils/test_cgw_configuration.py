"""CustomerGatewayConfiguration XML: AWS's tunnel order, addresses and keys."""

from __future__ import annotations

import pytest

from ansible_collections.hybridlab.aws.plugins.module_utils.cgw_configuration import CustomerGatewayConfigurationError
from ansible_collections.hybridlab.aws.plugins.module_utils.cgw_configuration import parse_customer_gateway_configuration
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import CGW_IP
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import TUNNEL_1
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import TUNNEL_2
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import customer_gateway_configuration


def test_tunnels_are_listed_in_document_order_with_addresses_and_keys() -> None:
    parsed = parse_customer_gateway_configuration(customer_gateway_configuration([TUNNEL_2, TUNNEL_1]))

    assert parsed == {
        "customer_gateway_ip": CGW_IP,
        "tunnels": [
            {"outside_ip": "203.0.113.47", "inside_cidr": "169.254.47.8/30", "pre_shared_key": "Tunnel2.example_psk"},
            {"outside_ip": "203.0.113.12", "inside_cidr": "169.254.12.0/30", "pre_shared_key": "Tunnel1.example_psk"},
        ],
    }


def test_inside_cidr_comes_from_the_network_mask_when_the_prefix_length_is_absent() -> None:
    document = customer_gateway_configuration([TUNNEL_1]).replace("<network_cidr>30</network_cidr>", "")

    assert parse_customer_gateway_configuration(document)["tunnels"][0]["inside_cidr"] == "169.254.12.0/30"


def test_a_document_without_tunnels_gives_no_tunnels_and_no_gateway_ip() -> None:
    parsed = parse_customer_gateway_configuration('<vpn_connection id="vpn-1"><vpn_connection_type>ipsec.1</vpn_connection_type></vpn_connection>')

    assert parsed == {"customer_gateway_ip": None, "tunnels": []}


def test_a_document_declaring_entities_is_refused_before_parsing() -> None:
    document = (
        '<?xml version="1.0"?><!DOCTYPE vpn_connection [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><vpn_connection>&b;</vpn_connection>'
    )

    with pytest.raises(CustomerGatewayConfigurationError, match="DTD"):
        parse_customer_gateway_configuration(document)


def test_malformed_xml_error_does_not_quote_the_document_and_its_keys() -> None:
    document = customer_gateway_configuration([TUNNEL_1]).replace("</ike>", "</ikke>")

    with pytest.raises(CustomerGatewayConfigurationError) as raised:
        parse_customer_gateway_configuration(document)

    assert "not well-formed" in str(raised.value)
    assert TUNNEL_1["psk"] not in str(raised.value)


def test_a_foreign_root_element_is_rejected() -> None:
    with pytest.raises(CustomerGatewayConfigurationError, match="<vpn_connection>"):
        parse_customer_gateway_configuration("<customer_gateway/>")


def test_an_inside_address_that_is_not_an_address_is_rejected() -> None:
    document = customer_gateway_configuration([TUNNEL_1]).replace("169.254.12.1<", "169.254.12.999<")

    with pytest.raises(CustomerGatewayConfigurationError, match="inside address"):
        parse_customer_gateway_configuration(document)
