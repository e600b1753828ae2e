"""The data plane's spec: what the twin's EC2 API says exists, as the guest needs it.

Read through the API with boto3, exactly as any client sees the twin (never from the
templates, never from moto's objects): VPCs and their subnets, route tables with their
associations and routes, internet gateways and the public addresses mapped through them,
running instances with their security groups and source/destination check, virtual private
gateways with their VPN connections' tunnels, transit gateways with their attachments, route
tables and VPN connections. The twin's own ``/labbox-api/tunnel-endpoints``
adds which tunnel endpoints a test has stopped. The spec is plain JSON, sorted, so two specs
of the same state compare equal and the agent applies only changes.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from typing import Any

from labbox.dataplane import proposals

# AWS's tunnels are DOWN until the connection is available, and gone once it is deleting.
LIVE_VPN_STATES = ("available",)

# The user each image's cloud-init makes and gives the key pair to, by the image's name:
# Debian's images ``admin``, Ubuntu's ``ubuntu``, Fedora's ``fedora``, Amazon Linux's (and any
# other) ``ec2-user``.
LOGIN_USERS_BY_IMAGE_NAME = (("debian-", "admin"), ("ubuntu/", "ubuntu"), ("Fedora-", "fedora"))
DEFAULT_LOGIN_USER = "ec2-user"
# An image id names the same image for ever: its login user is read once.
_login_users: dict[str, str] = {}


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags") or []}


def _pages(client: Any, operation: str, key: str, **arguments: Any) -> list[dict[str, Any]]:
    if client.can_paginate(operation):
        return [item for page in client.get_paginator(operation).paginate(**arguments) for item in page.get(key, [])]
    return list(getattr(client, operation)(**arguments).get(key, []))


def _rules(permissions: list[dict[str, Any]], group_members: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Security group permissions as the guest's rules: protocol, port range, source CIDRs."""
    rules = []
    for permission in permissions:
        protocol = str(permission.get("IpProtocol", "-1")).lower()
        protocol = {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp"}.get(protocol, protocol)
        cidrs = [item["CidrIp"] for item in permission.get("IpRanges") or []]
        for pair in permission.get("UserIdGroupPairs") or []:
            cidrs += [f"{address}/32" for address in group_members.get(pair.get("GroupId", ""), [])]
        if not cidrs:
            continue
        rules.append(
            {"protocol": protocol, "from": permission.get("FromPort"), "to": permission.get("ToPort"), "cidrs": sorted(set(cidrs))}
        )
    return rules


def _login_users_of(ec2: Any, image_ids: set[str]) -> dict[str, str]:
    unknown = sorted(image_ids - _login_users.keys())
    if unknown:
        # A filter, not ImageIds: an image deregistered since the launch is no error here.
        images = _pages(ec2, "describe_images", "Images", Filters=[{"Name": "image-id", "Values": unknown}])
        names = {image["ImageId"]: image.get("Name") or "" for image in images}
        for image_id in unknown:
            name = names.get(image_id, "")
            _login_users[image_id] = next(
                (user for prefix, user in LOGIN_USERS_BY_IMAGE_NAME if name.startswith(prefix)), DEFAULT_LOGIN_USER
            )
    return {image_id: _login_users[image_id] for image_id in image_ids}


def _route_target(route: dict[str, Any], interfaces: dict[str, str], instances: dict[str, str]) -> dict[str, Any]:
    gateway = route.get("GatewayId") or ""
    if gateway == "local":
        return {"type": "local"}
    if gateway.startswith("igw-"):
        return {"type": "internet_gateway", "gateway_id": gateway}
    if gateway.startswith("vgw-"):
        return {"type": "gateway", "gateway_id": gateway}
    if route.get("TransitGatewayId"):
        return {"type": "gateway", "gateway_id": route["TransitGatewayId"]}
    address = interfaces.get(route.get("NetworkInterfaceId") or "") or instances.get(route.get("InstanceId") or "")
    if address:
        return {"type": "interface", "address": address}
    return {"type": "blackhole"}


def region_spec(ec2: Any, stopped_endpoints: set[tuple[str, str]] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    """The spec of one region (see :func:`merge` for several)."""
    # A stopped instance keeps its machine's layer (its "EBS volume"); a terminated one is gone.
    states = ["pending", "running", "stopping", "stopped"]
    reservations = _pages(ec2, "describe_instances", "Reservations", Filters=[{"Name": "instance-state-name", "Values": states}])
    running = [instance for reservation in reservations for instance in reservation["Instances"] if instance.get("PrivateIpAddress")]
    interfaces = _pages(ec2, "describe_network_interfaces", "NetworkInterfaces")
    interface_ips = {eni["NetworkInterfaceId"]: eni["PrivateIpAddress"] for eni in interfaces if eni.get("PrivateIpAddress")}
    instance_ips = {instance["InstanceId"]: instance["PrivateIpAddress"] for instance in running}
    group_members: dict[str, list[str]] = defaultdict(list)
    for instance in running:
        for group in instance.get("SecurityGroups") or []:
            group_members[group["GroupId"]].append(instance["PrivateIpAddress"])
    groups = {group["GroupId"]: group for group in _pages(ec2, "describe_security_groups", "SecurityGroups")}
    subnets = _pages(ec2, "describe_subnets", "Subnets")
    # What cloud-init puts in the default user's authorized_keys on AWS: the public key of the
    # instance's KeyName, and nothing at all without one.
    key_pairs = {
        pair["KeyName"]: pair.get("PublicKey", "")
        for pair in ec2.describe_key_pairs(IncludePublicKey=True).get("KeyPairs", [])
    }
    subnet_cidrs = {subnet["SubnetId"]: subnet["CidrBlock"] for subnet in subnets}
    login_users = _login_users_of(ec2, {instance["ImageId"] for instance in running if instance.get("ImageId")})

    instances_spec = []
    nat: dict[str, list[dict[str, str]]] = defaultdict(list)
    for instance in running:
        eni = next(iter(instance.get("NetworkInterfaces") or []), {})
        group_ids = [group["GroupId"] for group in instance.get("SecurityGroups") or []]
        source_dest_check = instance.get("SourceDestCheck", eni.get("SourceDestCheck", True))
        ingress: list[dict[str, Any]] = []
        egress: list[dict[str, Any]] = []
        for group_id in group_ids:
            group = groups.get(group_id, {})
            ingress += _rules(group.get("IpPermissions") or [], group_members)
            egress += _rules(group.get("IpPermissionsEgress") or [], group_members)
        public_ip = instance.get("PublicIpAddress")
        if public_ip and instance["State"]["Name"] in ("pending", "running"):
            nat[instance["VpcId"]].append({"public_ip": public_ip, "private_ip": instance["PrivateIpAddress"]})
        instances_spec.append(
            {
                "id": instance["InstanceId"],
                "name": _tags(instance).get("Name", ""),
                "vpc_id": instance["VpcId"],
                "subnet_id": instance["SubnetId"],
                "subnet_cidr": subnet_cidrs.get(instance["SubnetId"], ""),
                "private_ip": instance["PrivateIpAddress"],
                "public_ip": public_ip,
                "running": instance["State"]["Name"] in ("pending", "running"),
                "source_dest_check": bool(source_dest_check),
                "login_user": login_users.get(instance.get("ImageId") or "", DEFAULT_LOGIN_USER),
                "authorized_key": key_pairs.get(instance.get("KeyName") or "", "").strip(),
                "ingress": ingress,
                "egress": egress,
            }
        )

    internet_gateways = {
        attachment["VpcId"]: igw["InternetGatewayId"]
        for igw in _pages(ec2, "describe_internet_gateways", "InternetGateways")
        for attachment in igw.get("Attachments") or []
        if attachment.get("State") in ("available", "attached")
    }
    route_tables = _pages(ec2, "describe_route_tables", "RouteTables")
    vpcs_spec = []
    for vpc in _pages(ec2, "describe_vpcs", "Vpcs"):
        vpc_id = vpc["VpcId"]
        # moto makes a default VPC in every region it is asked about; the lab never uses it.
        if vpc.get("IsDefault") and not any(i["vpc_id"] == vpc_id for i in instances_spec):
            continue
        tables = [table for table in route_tables if table["VpcId"] == vpc_id]
        main = next((t["RouteTableId"] for t in tables for a in t.get("Associations") or [] if a.get("Main")), None)
        associated = {a["SubnetId"]: t["RouteTableId"] for t in tables for a in t.get("Associations") or [] if a.get("SubnetId")}
        igw = internet_gateways.get(vpc_id)
        vpcs_spec.append(
            {
                "id": vpc_id,
                "cidr": vpc["CidrBlock"],
                "subnets": sorted(
                    (
                        {"id": s["SubnetId"], "cidr": s["CidrBlock"], "route_table": associated.get(s["SubnetId"], main)}
                        for s in subnets
                        if s["VpcId"] == vpc_id
                    ),
                    key=lambda s: s["id"],
                ),
                "route_tables": [
                    {
                        "id": table["RouteTableId"],
                        "routes": [
                            {
                                "destination": route["DestinationCidrBlock"],
                                "target": _route_target(route, interface_ips, instance_ips),
                                "state": route.get("State", "active"),
                            }
                            for route in table.get("Routes") or []
                            if route.get("DestinationCidrBlock")
                        ],
                    }
                    for table in sorted(tables, key=lambda t: t["RouteTableId"])
                ],
                "internet_gateway": {"id": igw, "nat": sorted(nat[vpc_id], key=lambda p: p["public_ip"])} if igw else None,
            }
        )

    customer_gateways = {cgw["CustomerGatewayId"]: cgw for cgw in _pages(ec2, "describe_customer_gateways", "CustomerGateways")}
    connections: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for connection in _pages(ec2, "describe_vpn_connections", "VpnConnections"):
        gateway_id = connection.get("VpnGatewayId")
        customer = customer_gateways.get(connection.get("CustomerGatewayId", ""), {})
        if connection.get("State") not in LIVE_VPN_STATES or not gateway_id or not customer.get("IpAddress"):
            continue
        connections[gateway_id].append(_connection(connection, customer["IpAddress"], stopped_endpoints))
    gateways_spec = [
        {"id": vgw["VpnGatewayId"], "vpc_id": attachment["VpcId"], "connections": sorted(connections[vgw["VpnGatewayId"]], key=lambda c: c["id"])}
        for vgw in _pages(ec2, "describe_vpn_gateways", "VpnGateways")
        if vgw.get("State") != "deleted"
        for attachment in vgw.get("VpcAttachments") or []
        if attachment.get("State") == "attached"
    ]
    return {
        "vpcs": sorted(vpcs_spec, key=lambda v: v["id"]),
        "instances": sorted(instances_spec, key=lambda i: i["id"]),
        "gateways": sorted(gateways_spec, key=lambda g: g["id"]),
        "transit_gateways": transit_gateways_spec(ec2, customer_gateways, stopped_endpoints),
    }


LIVE_ATTACHMENT_STATES = ("available", "modifying")


def transit_gateways_spec(ec2: Any, customer_gateways: dict[str, Any], stopped: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Each transit gateway with its live attachments (and the route table each is associated
    with), its route tables' active routes (static and propagated) and its VPN connections."""
    connections: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for connection in _pages(ec2, "describe_vpn_connections", "VpnConnections"):
        customer = customer_gateways.get(connection.get("CustomerGatewayId", ""), {})
        if connection.get("TransitGatewayId") and connection.get("State") in LIVE_VPN_STATES and customer.get("IpAddress"):
            connections[connection["TransitGatewayId"]].append(_connection(connection, customer["IpAddress"], stopped))
    gateways = []
    for gateway in _pages(ec2, "describe_transit_gateways", "TransitGateways"):
        # A pending gateway forwards nothing yet; a deleting one nothing any more.
        if gateway.get("State") not in ("available", "modifying"):
            continue
        tgw_id = gateway["TransitGatewayId"]
        filters = [{"Name": "transit-gateway-id", "Values": [tgw_id]}]
        attachments = []
        for attachment in _pages(ec2, "describe_transit_gateway_attachments", "TransitGatewayAttachments", Filters=filters):
            if attachment.get("State") not in LIVE_ATTACHMENT_STATES:
                continue
            association = attachment.get("Association") or {}
            attachments.append(
                {
                    "id": attachment["TransitGatewayAttachmentId"],
                    "type": attachment["ResourceType"],
                    "resource_id": attachment.get("ResourceId"),
                    "route_table": association.get("TransitGatewayRouteTableId") if association.get("State") == "associated" else None,
                }
            )
        tables = []
        for table in _pages(ec2, "describe_transit_gateway_route_tables", "TransitGatewayRouteTables", Filters=filters):
            if table.get("State") not in ("available", "pending"):
                continue
            routes = ec2.search_transit_gateway_routes(
                TransitGatewayRouteTableId=table["TransitGatewayRouteTableId"],
                Filters=[{"Name": "state", "Values": ["active", "blackhole"]}],
            )["Routes"]
            tables.append(
                {
                    "id": table["TransitGatewayRouteTableId"],
                    "routes": sorted(
                        (
                            {
                                "destination": route["DestinationCidrBlock"],
                                "attachment_id": (route.get("TransitGatewayAttachments") or [{}])[0].get("TransitGatewayAttachmentId")
                                if route.get("State") == "active"
                                else None,
                            }
                            for route in routes
                            if route.get("DestinationCidrBlock")
                        ),
                        key=lambda r: r["destination"],
                    ),
                }
            )
        vpn_attachments = {a["resource_id"]: a["id"] for a in attachments if a["type"] == "vpn"}
        gateways.append(
            {
                "id": tgw_id,
                "attachments": sorted(attachments, key=lambda a: a["id"]),
                "route_tables": sorted(tables, key=lambda t: t["id"]),
                "connections": sorted(
                    (dict(c, attachment_id=vpn_attachments.get(c["id"])) for c in connections[tgw_id] if c["id"] in vpn_attachments),
                    key=lambda c: c["id"],
                ),
            }
        )
    return sorted(gateways, key=lambda g: g["id"])


def _connection(connection: dict[str, Any], customer_ip: str, stopped: set[tuple[str, str]]) -> dict[str, Any]:
    tunnels = []
    for options in (connection.get("Options") or {}).get("TunnelOptions") or []:
        inside = ipaddress.IPv4Network(options["TunnelInsideCidr"])
        tunnels.append(
            {
                "outside_ip": options["OutsideIpAddress"],
                "inside_ip_aws": str(inside.network_address + 1),
                "inside_prefix": inside.prefixlen,
                "psk": options["PreSharedKey"],
                "ike_version": proposals.ike_version(options),
                "ike": proposals.ike(options),
                "esp": proposals.esp(options),
                "phase1_lifetime": int(options.get("Phase1LifetimeSeconds", 28800)),
                "phase2_lifetime": int(options.get("Phase2LifetimeSeconds", 3600)),
                "dpd_timeout": int(options.get("DpdTimeoutSeconds", 30)),
                "stopped": (connection["VpnConnectionId"], options["OutsideIpAddress"]) in stopped,
            }
        )
    return {
        "id": connection["VpnConnectionId"],
        "customer_gateway_ip": customer_ip,
        "routes": sorted(route["DestinationCidrBlock"] for route in connection.get("Routes") or [] if route.get("State") != "deleted"),
        "tunnels": tunnels,
    }


def merge(region_specs: list[dict[str, Any]]) -> dict[str, Any]:
    """One spec for the guest from the specs of every region the twin serves."""
    merged: dict[str, Any] = {"vpcs": [], "instances": [], "gateways": [], "transit_gateways": []}
    for part in region_specs:
        for key in ("vpcs", "instances", "gateways", "transit_gateways"):
            merged[key] += part.get(key, [])
    return merged
