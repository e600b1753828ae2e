# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter: the lab as it stands, from what AWS's API says (role hybridlab.aws.status reads it).

It puts the records together (the stacks of the catalogue that exist among the regions' stacks, the VPN connections with
their tunnels, the transit gateways, the instances, what is tagged for the lab without a stack
owning it) and adds what they mean: which labs are built, whether they are healthy, what they
cost per hour and since they were built, in one summary line first and details after.
"""

from __future__ import annotations

import datetime
import math

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_catalogue
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_prices
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_records
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_resources

# A stack in one of these states holds what its template describes.
_STABLE = ("CREATE_COMPLETE", "UPDATE_COMPLETE")
# The leftover kinds the role looks for, with the id key the amazon.aws info module uses and the
# kind of lab_prices that bills it (None: no hourly charge of its own).
LEFTOVER_KINDS = {
    "vpcs": ("VPC", "vpc_id", None),
    "instances": ("instance", "instance_id", "instance"),
    "vpn_connections": ("VPN connection", "vpn_connection_id", "vpn_connection"),
    "vpn_gateways": ("virtual private gateway", "vpn_gateway_id", None),
    "customer_gateways": ("customer gateway", "customer_gateway_id", None),
    "transit_gateways": ("transit gateway", "transit_gateway_id", None),
    "addresses": ("Elastic IP", "allocation_id", "public_ipv4"),
    "vpc_endpoints": ("VPC endpoint", "vpc_endpoint_id", "interface_endpoint_az"),
    "tgw_attachments": ("transit gateway attachment", "transit_gateway_attachment_id", "tgw_attachment"),
}


def _parse_time(value):
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _stacks(found, lab_name, aws_region, peer_region):
    """The catalogue's stacks that exist, from each region's stacks (role hybridlab.aws.audit)."""
    stacks = []
    for entry in lab_catalogue.lab_stack_list(lab_catalogue.EVERY_LAB, lab_name, aws_region, peer_region):
        info = ((found.get(entry["region"]) or {}).get("stacks") or {}).get(entry["name"]) or {}
        description = info.get("stack_description")
        if not description:
            continue
        stacks.append(
            {
                "key": entry["key"],
                "name": entry["name"],
                "region": entry["region"],
                "status": description.get("stack_status"),
                "created": str(description.get("creation_time") or ""),
                "outputs": info.get("stack_outputs") or {},
            }
        )
    return stacks


def _tunnels(vpn):
    tunnels = []
    for number, tunnel in enumerate(vpn.get("tunnels") or [], start=1):
        tunnels.append(
            {
                "number": number,
                "outside_ip": tunnel.get("outside_ip"),
                "inside_cidr": tunnel.get("inside_cidr"),
                "status": tunnel.get("status") or "unknown",
                "since": tunnel.get("last_status_change"),
                "message": tunnel.get("status_message") or "",
            }
        )
    return tunnels


def _vpn_connections(results):
    vpns = []
    for result in results:
        if result.get("skipped") or result.get("failed"):
            continue
        vpns.append(
            {
                "id": result.get("vpn_connection_id"),
                "stack": (result.get("item") or {}).get("name"),
                "state": result.get("state"),
                "tunnels": _tunnels(result),
            }
        )
    return vpns


def _transit_gateways(results):
    gateways = []
    for result in results:
        if result.get("skipped") or result.get("failed"):
            continue
        gateways.append(
            {
                "id": result.get("transit_gateway_id"),
                "name": result.get("name"),
                "region": (result.get("item") or {}).get("region"),
                "state": result.get("state"),
                "attachments": [
                    {
                        "id": attachment.get("transit_gateway_attachment_id"),
                        "name": attachment.get("name"),
                        "type": attachment.get("resource_type"),
                        "resource": attachment.get("resource_id"),
                        "state": attachment.get("state"),
                        "route_table": attachment.get("associated_route_table_id"),
                    }
                    for attachment in result.get("attachments") or []
                ],
                "route_tables": [
                    {
                        "id": table.get("transit_gateway_route_table_id"),
                        "name": table.get("name"),
                        "routes": [
                            f"{route.get('destination_cidr_block')} -> "
                            f"{route.get('resource_type') or route.get('type') or ''} "
                            f"{route.get('resource_id') or route.get('transit_gateway_attachment_id') or ''} "
                            f"({route.get('state')})".replace("  ", " ")
                            for route in table.get("routes") or []
                        ],
                    }
                    for table in result.get("route_tables") or []
                ],
            }
        )
    return gateways


def _instances(per_region):
    instances = []
    for region, records in per_region.items():
        for record in records or []:
            state = (record.get("state") or {}).get("name")
            if state not in lab_records.LIVE_INSTANCE_STATES:
                continue
            instances.append(
                {
                    "name": lab_records.tags(record).get("Name") or record.get("instance_id"),
                    "id": record.get("instance_id"),
                    "region": region,
                    "state": state,
                    "type": record.get("instance_type"),
                    "private_ip": record.get("private_ip_address"),
                    "public_ip": record.get("public_ip_address"),
                }
            )
    return instances


def _leftover_price(kind, record, region):
    """What one leftover costs per hour (``None``: nothing, or no price known)."""
    priced = LEFTOVER_KINDS[kind][2]
    if priced is None:
        return None
    resource = {"kind": priced, "region": region, "instance_type": record.get("instance_type"),
                "count": max(1, len(record.get("subnet_ids") or [])) if priced == "interface_endpoint_az" else 1}
    cost = lab_prices.hourly_cost([resource])
    return None if cost["unpriced"] else cost["total"]


def _leftovers(tagged, stack_names):
    """What is tagged for the lab in each region but no existing stack owns, and its hourly cost."""
    found = []
    for region, kinds in tagged.items():
        for kind, (label, id_key, _priced) in LEFTOVER_KINDS.items():
            for record in (kinds or {}).get(kind) or []:
                if kind == "instances" and (record.get("state") or {}).get("name") not in lab_records.LIVE_INSTANCE_STATES:
                    continue
                if kind in ("vpn_connections", "vpn_gateways", "customer_gateways", "transit_gateways") and (
                    record.get("state") in ("deleted", "deleting")
                ):
                    continue
                tags = lab_records.tags(record)
                if tags.get(lab_records.OWNER_TAG) in stack_names:
                    continue
                name = tags.get("Name")
                what = f"{label} {record.get(id_key) or record.get('public_ip')}" + (f" ({name})" if name else "")
                found.append({"what": f"{what} in {region}", "per_hour": _leftover_price(kind, record, region)})
    return found


def _cost(stacks, leftovers, aws_region, peer_region, instance_type, now):
    present = [stack["key"] for stack in stacks]
    missing = [key for key in lab_catalogue.lab_stacks(lab_catalogue.EVERY_LAB) if key not in present]
    resources = lab_resources.lab_resources(lab_catalogue.EVERY_LAB, aws_region, peer_region, instance_type, missing)
    cost = lab_prices.hourly_cost(resources)
    leftovers_per_hour = sum(leftover["per_hour"] or 0.0 for leftover in leftovers)
    created = [moment for moment in (_parse_time(stack["created"]) for stack in stacks) if moment]
    hours = max(0.0, (now - min(created)).total_seconds() / 3600) if created else 0.0
    # AWS bills every started hour of a VPN connection or an attachment in full: the run so far
    # is priced by started hours (lab_prices.run_cost), as preflight prices a typical run.
    return {
        "per_hour": round(cost["total"] + leftovers_per_hour, 4),
        "leftovers_per_hour": round(leftovers_per_hour, 4),
        "hours_since_built": round(hours, 2),
        "since_built": round(lab_prices.run_cost(cost["total"], hours), 4) if created else 0.0,
        "started_hours": max(1, math.ceil(hours)) if created else 0,
        "currency": cost["currency"],
        "prices_as_of": cost["as_of"],
        "unpriced": cost["unpriced"],
        "lines": cost["lines"],
    }


def _health(stacks, vpns, instances, leftovers):
    problems = [f"stack {stack['name']} is {stack['status']}" for stack in stacks if stack["status"] not in _STABLE]
    problems += [f"{instance['name']} is {instance['state']}" for instance in instances if instance["state"] != "running"]
    for vpn in vpns:
        if vpn["state"] != "available":
            problems.append(f"VPN connection {vpn['id']} is {vpn['state']}")
        elif not any(tunnel["status"] == "UP" for tunnel in vpn["tunnels"]):
            problems.append(f"no tunnel of {vpn['id']} is UP")
    if leftovers:
        problems.append(f"{len(leftovers)} leftover(s)")
    return problems


def lab_status(records, lab_name, aws_region, peer_region, instance_type, target="local", now=None):
    """The lab's status from ``records`` (documented in lab_status.yml)."""
    if not isinstance(records, dict):
        raise AnsibleFilterError("lab_status expects a dict of the records the status role read")
    moment = _parse_time(now) if now else datetime.datetime.now(datetime.timezone.utc)
    found = records.get("found") or {}
    stacks = _stacks(found, lab_name, aws_region, peer_region)
    names = {stack["name"] for stack in stacks}
    built = [lab for lab in lab_catalogue.LABS if all(
        lab_catalogue.stack_name(lab_name, key) in names for key in lab_catalogue.lab_stacks(lab))]
    vpns = _vpn_connections(records.get("vpn_connections") or [])
    gateways = _transit_gateways(records.get("transit_gateways") or [])
    instances = _instances({region: (kinds or {}).get("instances") for region, kinds in found.items()})
    leftovers = _leftovers(found, names)
    cost = _cost(stacks, leftovers, aws_region, peer_region, instance_type, moment)
    problems = _health(stacks, vpns, instances, leftovers)
    tunnels = [tunnel for vpn in vpns for tunnel in vpn["tunnels"]]
    up = sum(1 for tunnel in tunnels if tunnel["status"] == "UP")

    if not stacks and not leftovers:
        health = "not built"
    else:
        health = "healthy" if not problems else "degraded: " + "; ".join(problems)
    what = f"lab {lab_name}" + (f" ({', '.join(built)})" if built else "")
    parts = [health]
    if tunnels:
        parts.append(f"{up}/{len(tunnels)} tunnels UP")
    if stacks or leftovers:
        on_twin = " on AWS" if target == "local" else ""
        parts.append(f"~{cost['per_hour']:.2f} {cost['currency']}/h{on_twin}")
    return {
        "summary": f"{what}: {', '.join(parts)}",
        "lab_name": lab_name,
        "target": target,
        "health": health,
        "labs_built": built,
        "stacks": [{key: stack[key] for key in ("name", "region", "status", "created")} for stack in stacks],
        "vpn_connections": vpns,
        "transit_gateways": gateways,
        "instances": instances,
        "cost": cost,
        "leftovers": [
            leftover["what"] + (f", ~{leftover['per_hour']:.4f} {cost['currency']}/h" if leftover["per_hour"] else "")
            for leftover in leftovers
        ],
    }


def lab_status_reads(found, lab_name, aws_region, peer_region):
    """What the status role reads next, from the stacks that exist: their VPN connections (by the
    output VpnConnectionId) and transit gateways (TransitGatewayId), each with its stack and region."""
    reads = {"vpn_connections": [], "transit_gateways": []}
    for stack in _stacks(found, lab_name, aws_region, peer_region):
        for kind, output in (("vpn_connections", "VpnConnectionId"), ("transit_gateways", "TransitGatewayId")):
            if stack["outputs"].get(output):
                reads[kind].append({"name": stack["name"], "region": stack["region"], "id": stack["outputs"][output]})
    return reads


def lab_status_lines(status):
    """``status`` (from lab_status) as the lines the status run prints: the summary first."""
    lines = [status["summary"]]
    for stack in status["stacks"]:
        lines.append(f"stack {stack['name']} ({stack['region']}): {stack['status']} since {stack['created']}")
    for vpn in status["vpn_connections"]:
        lines.append(f"VPN connection {vpn['id']} ({vpn['stack']}): {vpn['state']}")
        for tunnel in vpn["tunnels"]:
            message = f", {tunnel['message']}" if tunnel["message"] else ""
            lines.append(
                f"  Tunnel{tunnel['number']} {tunnel['outside_ip']} inside {tunnel['inside_cidr']}: "
                f"{tunnel['status']} since {tunnel['since'] or 'unknown'}{message}"
            )
    for gateway in status["transit_gateways"]:
        lines.append(f"transit gateway {gateway['name'] or gateway['id']} {gateway['id']} ({gateway['region']}): "
                     f"{gateway['state']}")
        for attachment in gateway["attachments"]:
            named = f"{attachment['name']} " if attachment["name"] else ""
            lines.append(f"  attachment {named}{attachment['id']} {attachment['type']} {attachment['resource']}: "
                         f"{attachment['state']}, route table {attachment['route_table'] or 'none'}")
        for table in gateway["route_tables"]:
            lines.append(f"  route table {table['name'] or table['id']}: {'; '.join(table['routes']) or 'no routes'}")
    for instance in status["instances"]:
        public = f", public {instance['public_ip']}" if instance["public_ip"] else ""
        lines.append(f"instance {instance['name']} {instance['id']} ({instance['region']}): {instance['state']}, "
                     f"private {instance['private_ip']}{public}")
    cost = status["cost"]
    if status["stacks"] or status["leftovers"]:
        where = "what the same lab costs on AWS" if status["target"] == "local" else "on AWS"
        of_leftovers = cost["leftovers_per_hour"]
        lines.append(
            f"cost ({where}, prices of {cost['prices_as_of']}): {cost['per_hour']:.4f} {cost['currency']}/h now"
            + (f" (of which {of_leftovers:.4f} for leftovers)" if of_leftovers else "")
            + (f", {cost['since_built']:.4f} {cost['currency']} for the {cost['started_hours']} started hour(s) "
               "since it was built" if status["stacks"] else "")
            + (f"; not priced: {', '.join(cost['unpriced'])}" if cost["unpriced"] else "")
        )
    for leftover in status["leftovers"]:
        lines.append(f"leftover: {leftover}, tagged hybridlab:lab={status['lab_name']} and owned by no stack")
    return lines


class FilterModule:
    def filters(self):
        return {"lab_status": lab_status, "lab_status_reads": lab_status_reads, "lab_status_lines": lab_status_lines}
