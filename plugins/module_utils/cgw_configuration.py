# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Read the CustomerGatewayConfiguration XML that EC2 returns for a VPN connection.

That document is the only place where AWS states the tunnels in its own numbering
(``Tunnel1``/``Tunnel2`` of the console and of the downloadable configurations), together
with the customer gateway's outside address and, for older connections, the pre-shared keys.

Why ``xml.etree`` rather than defusedxml: defusedxml is not available on every controller, and
the text parsed here is not untrusted input: it is a field of EC2's own API response, fetched
over the authenticated SDK connection. It carries no DTD, so the entity-expansion attacks
defusedxml guards against have nothing to work with; a document that nevertheless declares a
DTD or entities is refused before parsing.
"""

from __future__ import annotations

import ipaddress
from xml.etree import ElementTree
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

# Markup that only a DTD can introduce; EC2 never sends it.
_DTD_MARKERS = ("<!DOCTYPE", "<!ENTITY")


class CustomerGatewayConfigurationError(ValueError):
    """The document is not a CustomerGatewayConfiguration this module can read.

    The message never quotes the document: it contains the pre-shared keys.
    """


def _text(element: ElementTree.Element, path: str) -> Optional[str]:
    """Stripped text of the first element at ``path`` below ``element``, or None."""
    found = element.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _inside_cidr(tunnel: ElementTree.Element) -> Optional[str]:
    """The tunnel's inside network, from the AWS side's inside address and prefix length."""
    address = _text(tunnel, "vpn_gateway/tunnel_inside_address/ip_address")
    prefix = _text(tunnel, "vpn_gateway/tunnel_inside_address/network_cidr")
    if prefix is None:
        prefix = _text(tunnel, "vpn_gateway/tunnel_inside_address/network_mask")
    if address is None or prefix is None:
        return None
    try:
        return str(ipaddress.ip_interface(f"{address}/{prefix}").network)
    except ValueError as e:
        raise CustomerGatewayConfigurationError(f"tunnel inside address is not an IP interface: {e}") from None


def parse_customer_gateway_configuration(document: str) -> Dict[str, Any]:
    """Parse the XML into the customer gateway's IP and the tunnels in AWS's order.

    Returns ``{"customer_gateway_ip": str | None, "tunnels": [...]}`` where each tunnel is
    ``{"outside_ip", "inside_cidr", "pre_shared_key"}`` (values None when absent), listed in
    the order of the ``ipsec_tunnel`` elements, which is AWS's tunnel numbering.
    """
    if any(marker in document for marker in _DTD_MARKERS):
        raise CustomerGatewayConfigurationError("the document declares a DTD, which EC2 never sends")
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError as e:
        # ParseError's text gives only a position, never document content.
        raise CustomerGatewayConfigurationError(f"not well-formed XML ({e})") from None
    if root.tag != "vpn_connection":
        raise CustomerGatewayConfigurationError(f"root element is <{root.tag}>, expected <vpn_connection>")

    tunnels: List[Dict[str, Optional[str]]] = []
    customer_gateway_ip: Optional[str] = None
    for tunnel in root.findall("ipsec_tunnel"):
        if customer_gateway_ip is None:
            customer_gateway_ip = _text(tunnel, "customer_gateway/tunnel_outside_address/ip_address")
        tunnels.append(
            {
                "outside_ip": _text(tunnel, "vpn_gateway/tunnel_outside_address/ip_address"),
                "inside_cidr": _inside_cidr(tunnel),
                "pre_shared_key": _text(tunnel, "ike/pre_shared_key"),
            }
        )
    return {"customer_gateway_ip": customer_gateway_ip, "tunnels": tunnels}
