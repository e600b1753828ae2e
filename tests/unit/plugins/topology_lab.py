"""A built S2S lab as the status role reads it, for the topology picture's tests (unit and browser):
the records of role hybridlab.aws.audit, the VPN connection's tunnels, each region's subnets and
route tables, and verification records; and the picture rendered from them with Graphviz's dot."""

from __future__ import annotations

import subprocess
from typing import Any

from ansible_collections.hybridlab.aws.plugins.filter.lab_status import lab_status
from ansible_collections.hybridlab.aws.plugins.filter.lab_topology import lab_topology_dot, lab_topology_html
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_catalogue
from ansible_collections.hybridlab.aws.plugins.module_utils import reachability

SEOUL, TOKYO = "ap-northeast-2", "ap-northeast-1"
BUILT_AT = "2026-12-05T08:00:00+00:00"
FINISHED = "2026-12-05T08:20:00Z"
CGW_PUBLIC_IP, AWS_EC2_PUBLIC_IP = "203.0.113.20", "198.51.100.30"
TUNNEL_IPS = ("198.51.100.11", "198.51.100.12")
AWS_EC2_GROUP = {"group_id": "sg-0awsec2", "group_name": "hybridlab-aws-AwsEc2SecurityGroup-1XYZ"}


def _tagged(name: str, stack: str) -> dict[str, str]:
    return {"Name": name, "hybridlab:lab": "hybridlab", "aws:cloudformation:stack-name": stack}


def instance(name: str, instance_id: str, subnet: str, vpc: str, private_ip: str, public_ip: str | None = None,
             groups: tuple[dict[str, str], ...] = (), eni: str | None = None, state: str = "running") -> dict[str, Any]:
    """An instance as amazon.aws.ec2_instance_info returns it (the fields the picture reads)."""
    return {
        "instance_id": instance_id, "state": {"name": state}, "instance_type": "t3.micro",
        "subnet_id": subnet, "vpc_id": vpc, "private_ip_address": private_ip, "public_ip_address": public_ip,
        "security_groups": list(groups), "source_dest_check": eni is None,
        "network_interfaces": [{"network_interface_id": eni or f"eni-{instance_id[2:]}", "subnet_id": subnet}],
        "tags": _tagged(name, "hybridlab-idc" if name.startswith("IDC") else "hybridlab-aws"),
    }


def route(destination: str, state: str = "active", **target: str) -> dict[str, Any]:
    """A route as amazon.aws.ec2_vpc_route_table_info returns it."""
    return {"destination_cidr_block": destination, "state": state, "gateway_id": None, "network_interface_id": None,
            "instance_id": None, **target}


def route_table(name: str, table_id: str, vpc: str, subnet: str, *routes: dict[str, Any]) -> dict[str, Any]:
    local = route("10.60.0.0/16" if vpc == "vpc-0idc" else "10.50.0.0/16", gateway_id="local")
    return {
        "route_table_id": table_id, "id": table_id, "vpc_id": vpc, "routes": [local, *routes],
        "associations": [{"subnet_id": subnet, "main": False, "route_table_id": table_id}],
        "tags": _tagged(name, "hybridlab-idc" if name.startswith("IDC") else "hybridlab-aws"),
    }


def subnet(name: str, subnet_id: str, vpc: str, cidr: str) -> dict[str, Any]:
    return {"subnet_id": subnet_id, "id": subnet_id, "vpc_id": vpc, "cidr_block": cidr,
            "tags": _tagged(name, "hybridlab-idc" if name.startswith("IDC") else "hybridlab-aws")}


def aws_route_table(back: bool = True) -> dict[str, Any]:
    """AWS-PublicRT: the internet, and (with ``back``) IDC-VPC propagated from the virtual private gateway."""
    routes = [route("0.0.0.0/0", gateway_id="igw-0aws")]
    if back:
        routes.append(route("10.60.0.0/16", gateway_id="vgw-0aws"))
    return route_table("AWS-PublicRT", "rtb-0awspub", "vpc-0aws", "subnet-0awspub", *routes)


def _stacks() -> dict[str, dict[str, Any]]:
    stacks = {}
    for key in ("idc", "aws", "vpn"):
        name = lab_catalogue.stack_name("hybridlab", key)
        stacks[name] = {
            "stack_description": {"stack_status": "CREATE_COMPLETE", "creation_time": BUILT_AT},
            "stack_outputs": {"VpnConnectionId": "vpn-0lab"} if key == "vpn" else {},
            "stack_parameters": {"VgwAsn": "64512", "Tunnel1Psk": "****"} if key == "vpn" else {},
        }
    return stacks


def found(instances: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The fact audit_found of a built S2S lab in Seoul, nothing in Tokyo."""
    vgw_tags = _tagged("AWS-VPNGW", "hybridlab-vpn")
    return {
        SEOUL: {
            "vpcs": [
                {"vpc_id": "vpc-0idc", "cidr_block": "10.60.0.0/16", "tags": _tagged("IDC-VPC", "hybridlab-idc")},
                {"vpc_id": "vpc-0aws", "cidr_block": "10.50.0.0/16", "tags": _tagged("AWS-VPC", "hybridlab-aws")},
            ],
            "instances": instances if instances is not None else [
                instance("IDC-CGW", "i-0cgw", "subnet-0idcpub", "vpc-0idc", "10.60.0.100", CGW_PUBLIC_IP,
                         ({"group_id": "sg-0cgw", "group_name": "hybridlab-idc-CgwSecurityGroup-1ABC"},), "eni-0cgw"),
                instance("IDC-EC2", "i-0idcec2", "subnet-0idcpriv", "vpc-0idc", "10.60.1.100",
                         groups=({"group_id": "sg-0idcec2", "group_name": "hybridlab-idc-IdcEc2SecurityGroup-1DEF"},)),
                instance("AWS-EC2", "i-0awsec2", "subnet-0awspub", "vpc-0aws", "10.50.1.100", AWS_EC2_PUBLIC_IP,
                         (AWS_EC2_GROUP,)),
            ],
            # ec2_vpc_vgw_info's tags are a list, its resource_tags a dict; it gives no ASN.
            "vpn_gateways": [{
                "vpn_gateway_id": "vgw-0aws", "state": "available", "type": "ipsec.1",
                "vpc_attachments": [{"vpc_id": "vpc-0aws", "state": "attached"}],
                "tags": [{"key": key, "value": value} for key, value in vgw_tags.items()], "resource_tags": vgw_tags,
            }],
            "customer_gateways": [{
                "customer_gateway_id": "cgw-0idc", "bgp_asn": "65000", "ip_address": CGW_PUBLIC_IP,
                "state": "available", "tags": _tagged("IDC-VPN-CGW", "hybridlab-vpn"),
            }],
            "stacks": _stacks(),
        },
        TOKYO: {"stacks": {}},
    }


def vpn_result(*statuses: str | None) -> dict[str, Any]:
    """hybridlab.aws.vpn_tunnel_info's result as the status role registers it in its loop."""
    tunnels = [
        {"outside_ip": ip, "inside_cidr": f"169.254.1{number}.0/30", "status": status,
         "status_message": "" if status == "UP" else "IPSEC IS DOWN", "last_status_change": BUILT_AT}
        for number, (ip, status) in enumerate(zip(TUNNEL_IPS, statuses), start=1)
    ]
    return {
        "item": {"name": "hybridlab-vpn", "region": SEOUL, "id": "vpn-0lab"}, "changed": False, "failed": False,
        "vpn_connection_id": "vpn-0lab", "state": "available", "customer_gateway_id": "cgw-0idc",
        "customer_gateway_ip": CGW_PUBLIC_IP, "vpn_gateway_id": "vgw-0aws", "transit_gateway_id": None,
        "routes": [{"destination_cidr_block": "10.60.0.0/16", "source": "Static", "state": "available"}],
        "tunnels": tunnels,
    }


def regional(region_records: dict[str, list[dict[str, Any]]], field: str) -> list[dict[str, Any]]:
    """A module's results looped over the regions (``item`` the region), as the status role registers them."""
    return [{"item": region, "changed": False, "failed": False, field: records}
            for region, records in region_records.items()]


def verify_record(passed: bool, causes: list[str], host: str = "IDC-EC2", finished: str = FINISHED) -> dict[str, Any]:
    """A verification record as role hybridlab.aws.verify writes it."""
    headline = (f"{host} (10.60.1.100) reaches AWS-EC2 (10.50.1.100) across the VPN: 0% loss" if passed
                else f"{host} (10.60.1.100) cannot ping AWS-EC2 (10.50.1.100):")
    return {"host": host, "passed": passed, "headline": headline, "causes": causes, "finished": finished}


def security_group_cause() -> str:
    """What the diagnosis says when AWS-EC2's security group lets no ICMP in from the IDC side."""
    target = reachability.End(
        "AWS-EC2", reachability.address("10.50.1.100"), reachability.network("10.50.0.0/16"),
        {"instance_id": "i-0awsec2", "security_groups": [AWS_EC2_GROUP]},
    )
    source = reachability.End("IDC-EC2", reachability.address("10.60.1.100"), reachability.network("10.60.0.0/16"))
    group = {**AWS_EC2_GROUP, "ip_permissions": [
        {"ip_protocol": "icmp", "from_port": -1, "to_port": -1, "ip_ranges": [{"cidr_ip": "10.70.0.0/16"}]}]}
    [cause] = reachability.security_group_problems(target, [group], source)
    return cause


def records(tunnels: tuple[str | None, ...] = ("UP", "DOWN"), verify: list[Any] | None = None,
            tables: list[dict[str, Any]] | None = None, audit: dict[str, Any] | None = None) -> dict[str, Any]:
    """The records the status role hands to the picture's filters."""
    audit = audit if audit is not None else found()
    vpns = [vpn_result(*tunnels)]
    route_tables = tables if tables is not None else [
        route_table("IDC-PublicRT", "rtb-0idcpub", "vpc-0idc", "subnet-0idcpub",
                    route("0.0.0.0/0", gateway_id="igw-0idc")),
        route_table("IDC-PrivateRT", "rtb-0idcpriv", "vpc-0idc", "subnet-0idcpriv",
                    route("10.50.0.0/16", network_interface_id="eni-0cgw")),
        aws_route_table(),
    ]
    subnets = [
        subnet("IDC-PublicSubnet", "subnet-0idcpub", "vpc-0idc", "10.60.0.0/24"),
        subnet("IDC-PrivateSubnet", "subnet-0idcpriv", "vpc-0idc", "10.60.1.0/24"),
        subnet("AWS-PublicSubnet", "subnet-0awspub", "vpc-0aws", "10.50.1.0/24"),
    ]
    status = lab_status({"found": audit, "vpn_connections": vpns, "transit_gateways": []},
                        "hybridlab", SEOUL, TOKYO, "t3.micro", "local", "2026-12-05T08:30:00+00:00")
    return {
        "found": audit, "status": status, "vpn_connections": vpns, "transit_gateways": [],
        "subnets": regional({SEOUL: subnets, TOKYO: []}, "subnets"),
        "route_tables": regional({SEOUL: route_tables, TOKYO: []}, "route_tables"),
        "verify": verify if verify is not None else [],
    }


def failed_lab() -> dict[str, Any]:
    """The lab the browser test opens: Tunnel1 UP, Tunnel2 DOWN, IDC-EC2's verification failed on AWS-EC2's group."""
    return records(("UP", "DOWN"), [verify_record(False, [security_group_cause()])])


def render(lab_records: dict[str, Any]) -> tuple[str, str, str]:
    """The DOT text, the SVG Graphviz's dot draws from it, and the HTML page around the SVG."""
    dot = lab_topology_dot(lab_records)
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    return dot, svg, lab_topology_html(lab_records, svg)
