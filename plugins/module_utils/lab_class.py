# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A class: one lab per learner, planned from the instructor's class file.

The class file names the class, the lab every learner builds, its region(s) and instance type,
and the learners; a learner may bring a CIDR plan and an instance type of their own. Each
learner's lab is an ordinary lab named ``<class_name>-<learner>``: its own stacks, tags, key
pair and state directory. Labs of one class share an account, so their VPCs must not overlap
(a later exercise may join them through a transit gateway): learners without a plan of their
own get one here, by moving every address of the lab into a block of /16s of their own.

Every function returns problems as sentences naming the key and the rule, all at once.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.hybridlab.aws.plugins.module_utils import lab_prices, lab_quotas, lab_resources, lab_rules
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_catalogue import LABS, lab_stack_list, stack_name

# What a class file and each of its learners may hold.
CLASS_KEYS = ("class_name", "lab", "aws_region", "tgw_peer_region", "lab_instance_type", "parallel", "hours",
              "lab_vars", "learners")
# What the class sets for every learner's lab itself: lab_vars may not set these.
PLANNED_VARIABLES = ("lab", "lab_name", "aws_region", "tgw_peer_region", "lab_instance_type", "lab_state_dir")
LEARNER_KEYS = ("name", "lab_instance_type", "cidrs")
# Class and learner names become part of lab names, stack names and tags.
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# lab_config's rule for lab_name (hybridlab.aws.lab_config: at most 31 characters).
LAB_NAME_MAX = 31
DEFAULT_PARALLEL = 4
# How long the class's labs stand (for the cost), in hours.
DEFAULT_HOURS = 1
# The lab's address variables (hybridlab.aws.lab_config), by the part of the lab they belong to,
# and which parts each lab builds. A learner's plan holds the variables of their lab's parts.
ADDRESS_GROUPS = {
    "idc": ("idc_vpc_cidr", "idc_public_subnet_cidr", "idc_private_subnet_cidr", "idc_cgw_private_ip",
            "idc_ec2_private_ip"),
    "aws": ("aws_vpc_cidr", "aws_public_subnet_cidr", "aws_ec2_private_ip"),
    "tgw": ("tgw_vpc_cidrs", "tgw_vpc_subnet_cidrs"),
    "peer": ("tgw_peer_vpc_cidr", "tgw_peer_subnet_cidrs"),
}
LAB_GROUPS = {
    "s2s": ("idc", "aws"),
    "tgw": ("tgw",),
    "tgw_vpn": ("tgw", "idc"),
    "tgw_peering": ("tgw", "peer"),
    "tgw_full": ("tgw", "idc", "peer"),
}
# The VPCs a plan places, in the order of their slot in a learner's block; "tgw_vpc_cidrs[1]"
# is an item of a list variable. VPC0-2 come first and PEER-VPC next, so that the span of the
# three VPCs (what IDC-CGW sends into its tunnels in tgw_vpn) leaves IDC-VPC out, as the
# lab's own addresses do.
VPC_SLOTS = ("tgw_vpc_cidrs[0]", "tgw_vpc_cidrs[1]", "tgw_vpc_cidrs[2]", "tgw_peer_vpc_cidr", "idc_vpc_cidr",
             "aws_vpc_cidr")
# The first learner keeps the lab's own addresses (the course's); learner k (k >= 1, in the
# class file's order) gets the /16s 10.<FIRST_BLOCK + 8 (k - 1) + slot>: the second learner's
# IDC-VPC is 10.100.0.0/16 and AWS-VPC 10.101.0.0/16, the third's 10.108.0.0/16 and 10.109.0.0/16.
FIRST_BLOCK = 96
# A slot: a variable, or an item of a list variable.
_SLOT = re.compile(r"(\w+)(?:\[(\d+)\])?")
BLOCK_SIZE = 8
MAX_LEARNERS = 1 + (256 - FIRST_BLOCK) // BLOCK_SIZE


def vpc_networks(variables, lab):
    """(slot name, network) of each VPC ``lab`` builds, from ``variables``."""
    found = []
    for slot in VPC_SLOTS:
        name, index = _SLOT.fullmatch(slot).groups()
        if not any(name in ADDRESS_GROUPS[group] for group in LAB_GROUPS[lab]):
            continue
        value = variables.get(name)
        if index:
            value = value[int(index)] if isinstance(value, list) and len(value) > int(index) else None
        try:
            found.append((slot, ipaddress.ip_network(str(value))))
        except ValueError:
            continue
    return found


def _moved(value, moves):
    """``value`` (an address, a CIDR or lists of them) with every address moved by ``moves``:
    (old VPC network, new VPC network) pairs; values outside every old VPC stay as they are."""
    if isinstance(value, list):
        return [_moved(item, moves) for item in value]
    text = str(value)
    try:
        if "/" in text:
            network = ipaddress.ip_network(text)
            address, suffix = network.network_address, f"/{network.prefixlen}"
        else:
            address, suffix = ipaddress.ip_address(text), ""
    except ValueError:
        return value
    for old, new in moves:
        if address in old and (not suffix or int(suffix[1:]) >= old.prefixlen):
            return f"{new.network_address + (int(address) - int(old.network_address))}{suffix}"
    return value


def _automatic_plan(lab_variables, lab, index):
    """The address variables of learner ``index``'s lab, and the problems of making them."""
    names = [name for group in LAB_GROUPS[lab] for name in ADDRESS_GROUPS[group]]
    own = {name: lab_variables.get(name) for name in names}
    if index == 0:
        return own, []
    moves = []
    for slot, network in vpc_networks(own, lab):
        if network.prefixlen < 16:
            return own, [f"{slot} {network} is wider than a /16: the class cannot give each learner a copy of it; "
                         "give the learners CIDR plans of their own (learners[].cidrs)"]
        octet = FIRST_BLOCK + BLOCK_SIZE * (index - 1) + VPC_SLOTS.index(slot)
        base = ipaddress.ip_address(f"10.{octet}.0.0") + (int(network.network_address) & 0xFFFF)
        moves.append((network, ipaddress.ip_network(f"{base}/{network.prefixlen}")))
    return {name: _moved(value, moves) for name, value in own.items()}, []


def _file_problems(class_file):
    problems = []
    for key in sorted(set(class_file) - set(CLASS_KEYS)):
        problems.append(f"class file: unknown key {key!r} (known: {', '.join(CLASS_KEYS)})")
    name = class_file.get("class_name")
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(f"class_name must be lower-case letters and digits, words joined by '-', starting with a "
                        f"letter (got {name!r})")
    lab = class_file.get("lab", "s2s")
    if lab not in LABS:
        problems.append(f"lab must be one of {', '.join(LABS)} (got {lab!r})")
    parallel = class_file.get("parallel", DEFAULT_PARALLEL)
    if isinstance(parallel, bool) or not isinstance(parallel, int) or parallel < 1:
        problems.append(f"parallel must be a whole number of labs built at once, 1 or more (got {parallel!r})")
    hours = class_file.get("hours", DEFAULT_HOURS)
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or hours <= 0:
        problems.append(f"hours must be how long the labs stand, a number above 0 (got {hours!r})")
    lab_vars = class_file.get("lab_vars", {})
    if not isinstance(lab_vars, dict):
        problems.append(f"lab_vars must be a mapping of lab variables every learner's lab gets (got {lab_vars!r})")
    else:
        addresses = [name for names in ADDRESS_GROUPS.values() for name in names]
        for key in sorted(lab_vars):
            if key in PLANNED_VARIABLES:
                problems.append(f"lab_vars: {key!r} is set by the class itself; set it at the class file's top level"
                                if key in CLASS_KEYS else f"lab_vars: {key!r} is set by the class itself")
            elif key in addresses:
                problems.append(f"lab_vars: {key!r} is an address of the lab, planned per learner; give it in "
                                "learners[].cidrs")
    learners = class_file.get("learners")
    if not isinstance(learners, list) or not learners:
        problems.append("learners must be a list of learners, each with a name (got "
                        f"{type(learners).__name__ if learners is not None else 'nothing'})")
    elif len(learners) > MAX_LEARNERS:
        problems.append(f"learners: {len(learners)} learners, but the class's address plan holds at most "
                        f"{MAX_LEARNERS} labs per account; split the class across accounts")
    return problems


def _learner_problems(learner, position, lab):
    where = f"learners[{position}]"
    if not isinstance(learner, dict):
        return [f"{where} must be a mapping with a name (got {learner!r})"]
    problems = [f"{where}: unknown key {key!r} (known: {', '.join(LEARNER_KEYS)})"
                for key in sorted(set(learner) - set(LEARNER_KEYS))]
    name = learner.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(f"{where}.name must be lower-case letters and digits, words joined by '-', starting with "
                        f"a letter (got {name!r})")
    cidrs = learner.get("cidrs", {})
    if not isinstance(cidrs, dict):
        problems.append(f"{where}.cidrs must be a mapping of the lab's address variables (got {cidrs!r})")
    elif lab in LAB_GROUPS:
        known = [name for group in LAB_GROUPS[lab] for name in ADDRESS_GROUPS[group]]
        problems += [f"{where}.cidrs: {key!r} is not an address variable of the {lab} lab (known: {', '.join(known)})"
                     for key in sorted(set(cidrs) - set(known))]
    return problems


def _overlap_problems(learners, lab):
    """Every pair of VPCs of two different learners that overlap."""
    problems = []
    placed = []
    for learner in learners:
        for slot, network in vpc_networks(learner["extra_vars"], lab):
            for other, other_slot, other_network in placed:
                if network.overlaps(other_network):
                    problems.append(f"learners {other} and {learner['name']}: {other}'s {other_slot} {other_network} "
                                    f"overlaps {learner['name']}'s {slot} {network}; labs of one class share the "
                                    "account and must not overlap")
        placed += [(learner["name"], slot, network) for slot, network in vpc_networks(learner["extra_vars"], lab)]
    return problems


def class_plan(class_file, lab_variables):
    """The class's plan, and every problem of its file.

    ``lab_variables`` are the lab's own values of the address variables (hybridlab.aws.lab_config's
    defaults, or what the run set): the first learner keeps them. Returns a dict: ``class_name``,
    ``lab``, ``aws_region``, ``tgw_peer_region``, ``parallel``, ``regions``, ``learners`` (each:
    ``name``, ``lab_name``, ``position``, ``extra_vars``: what that learner's lab runs with) and
    ``problems`` (empty when the class may be built).
    """
    if not isinstance(class_file, dict):
        return {"learners": [], "problems": [f"the class file must be a mapping (got {type(class_file).__name__})"]}
    problems = _file_problems(class_file)
    lab = class_file.get("lab", "s2s")
    class_name = str(class_file.get("class_name", ""))
    aws_region = class_file.get("aws_region", lab_variables.get("aws_region"))
    peer_region = class_file.get("tgw_peer_region", lab_variables.get("tgw_peer_region"))
    instance_type = class_file.get("lab_instance_type", lab_variables.get("lab_instance_type"))
    learners = class_file.get("learners") if isinstance(class_file.get("learners"), list) else []

    planned = []
    first_position = {}
    for position, learner in enumerate(learners):
        learner_problems = _learner_problems(learner, position, lab)
        problems += learner_problems
        if learner_problems or lab not in LAB_GROUPS:
            continue
        name = learner["name"]
        if name in first_position:
            problems.append(f"learners[{position}]: {name!r} is listed twice (learners[{first_position[name]}] and "
                            f"learners[{position}]); each learner has one lab")
            continue
        first_position[name] = position
        lab_name = f"{class_name}-{name}"
        if len(lab_name) > LAB_NAME_MAX:
            problems.append(f"learners[{position}]: the lab name {lab_name!r} (class_name-name) is longer than "
                            f"{LAB_NAME_MAX} characters; use a shorter class_name or learner name")
        addresses, plan_problems = _automatic_plan(lab_variables, lab, len(planned))
        problems += [f"learners[{position}] ({name}): {problem}" for problem in plan_problems]
        addresses.update(learner.get("cidrs") or {})
        lab_vars = class_file.get("lab_vars") if isinstance(class_file.get("lab_vars"), dict) else {}
        extra_vars = dict(lab_vars)
        extra_vars.update({
            "lab": lab,
            "lab_name": lab_name,
            "aws_region": aws_region,
            "tgw_peer_region": peer_region,
            "lab_instance_type": learner.get("lab_instance_type", instance_type),
        })
        extra_vars.update(addresses)
        if "tgw" in LAB_GROUPS[lab] and "idc" in LAB_GROUPS[lab]:
            # What IDC-CGW sends into its tunnels follows the learner's own VPCs.
            try:
                extra_vars["tgw_vpn_networks_cidr"] = lab_rules.cidr_span(addresses["tgw_vpc_cidrs"])
            except (TypeError, ValueError):
                pass  # the learner's lab check names the broken CIDR
        stacks = [{"name": stack["name"], "region": stack["region"]}
                  for stack in lab_stack_list(lab, lab_name, aws_region, peer_region)]
        planned.append({"name": name, "lab_name": lab_name, "position": position, "extra_vars": extra_vars,
                        "stacks": stacks})

    if lab in LAB_GROUPS:
        problems += _overlap_problems(planned, lab)
    regions = lab_resources.lab_regions(lab, aws_region, peer_region) if lab in LABS else [aws_region]
    return {
        "class_name": class_name,
        "lab": lab,
        "aws_region": aws_region,
        "tgw_peer_region": peer_region,
        "lab_instance_type": instance_type,
        "parallel": class_file.get("parallel", DEFAULT_PARALLEL),
        "hours": class_file.get("hours", DEFAULT_HOURS),
        "lab_vars": class_file.get("lab_vars") if isinstance(class_file.get("lab_vars"), dict) else {},
        "regions": regions,
        "learners": planned,
        "problems": problems,
    }


def class_quota_usage(plan, account_regions):
    """Each quota of each region the class uses against what is in use plus what its labs add
    (lab_quotas.quota_usage's rows). ``account_regions`` is hybridlab.aws.lab_account_info's
    ``regions``; a learner's stacks that stand already add nothing, so a rerun of a class that
    was built is not refused."""
    present = {stack["name"] for held in account_regions.values()
               for stack in lab_quotas.standing_stacks(held.get("stacks"))}
    lab, home, peer = plan["lab"], plan["aws_region"], plan["tgw_peer_region"]
    needs = {}
    to_build = 0
    for learner in plan["learners"]:
        skip = [key for key in LABS[lab] if stack_name(learner["lab_name"], key) in present]
        to_build += len(skip) < len(LABS[lab])
        for region, kinds in lab_resources.lab_quota_needs(lab, home, peer, skip).items():
            for kind, count in kinds.items():
                needs.setdefault(region, dict.fromkeys(lab_resources.QUOTA_KINDS, 0))[kind] += count
    return lab_quotas.quota_usage(needs, account_regions, labs=to_build,
                                  one_lab=lab_resources.lab_quota_needs(lab, home, peer))


def class_cost(plan):
    """The class's cost per hour (every learner's lab, from the collection's price table) and
    for the class file's ``hours``, by started hours as AWS bills them."""
    run_hours = plan["hours"]
    per_lab = []
    for learner in plan["learners"]:
        resources = lab_resources.lab_resources(plan["lab"], plan["aws_region"], plan["tgw_peer_region"],
                                                learner["extra_vars"]["lab_instance_type"])
        per_lab.append({"name": learner["name"], "per_hour": lab_prices.hourly_cost(resources)["total"]})
    total = round(sum(lab["per_hour"] for lab in per_lab), 4)
    return {"per_hour": total, "labs": per_lab, "run_hours": run_hours,
            "run_total": lab_prices.run_cost(total, float(run_hours)), "currency": lab_prices.CURRENCY,
            "as_of": lab_prices.PRICES_AS_OF}


def class_status_rows(plan, statuses):
    """One row per learner from their lab's status document (hybridlab.aws.lab_status), in the
    class file's order; a learner whose status could not be read is one row saying so."""
    by_lab = {status.get("lab_name"): status for status in statuses if isinstance(status, dict)}
    rows = []
    for learner in plan["learners"]:
        status = by_lab.get(learner["lab_name"])
        if status is None:
            rows.append({"learner": learner["name"], "lab": learner["lab_name"], "health": "status not read",
                         "tunnels": "-", "cost": "-", "leftovers": "-"})
            continue
        tunnels = [tunnel for vpn in status.get("vpn_connections") or [] for tunnel in vpn.get("tunnels") or []]
        up = sum(1 for tunnel in tunnels if tunnel.get("status") == "UP")
        cost = status.get("cost") or {}
        rows.append({
            "learner": learner["name"],
            "lab": learner["lab_name"],
            "health": status.get("health", "unknown"),
            "tunnels": f"{up}/{len(tunnels)} UP" if tunnels else "-",
            "cost": f"{cost.get('since_built', 0.0):.2f} {cost.get('currency', 'USD')}",
            "leftovers": str(len(status.get("leftovers") or [])),
        })
    return rows


def class_status_lines(rows, class_name, on_twin):
    """``rows`` as a table: a summary, a header, one line per learner, then what is wrong with
    each lab that is not healthy (a lab's status names every problem, too long for a cell)."""
    headers = {"learner": "learner", "lab": "lab", "health": "health", "tunnels": "tunnels",
               "cost": "cost so far" + (" (on AWS)" if on_twin else ""), "leftovers": "leftovers"}
    cells = [{**row, "health": row["health"].split(":")[0]} for row in rows]
    widths = {key: max([len(headers[key])] + [len(str(row[key])) for row in cells]) for key in headers}
    healthy = sum(1 for row in rows if row["health"] == "healthy")
    lines = [f"class {class_name}: {len(rows)} lab(s), {healthy} healthy"]
    lines.append("  ".join(headers[key].ljust(widths[key]) for key in headers).rstrip())
    lines += ["  ".join(str(row[key]).ljust(widths[key]) for key in headers).rstrip() for row in cells]
    lines += [f"{row['learner']}: {row['health'].partition(': ')[2]}" for row in rows if ": " in row["health"]]
    return lines
