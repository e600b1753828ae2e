"""What EC2 refuses around public addresses, gateways, main route tables and referenced groups.

From EC2's API reference (AssociateAddress, DetachInternetGateway, ReleaseAddress,
DeleteRouteTable, DeleteSecurityGroup) and CloudFormation's guide to ``DependsOn``. Each
refusal leaves everything as it was.
"""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest

from stack_helpers import get_att, lab_vpcs, ref, resource_events, stack, subnet, template, vpc


def _refused(call: Any, code: str) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        call()
    assert refused.value.response["Error"]["Code"] == code, refused.value.response["Error"]
    return str(refused.value.response["Error"]["Message"])


@pytest.fixture
def network(ec2) -> dict[str, str]:
    """A VPC with a subnet, an interface in it and an Elastic IP, no internet gateway yet."""
    vpc_id = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.60.1.0/24")["Subnet"]["SubnetId"]
    eni_id = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]["NetworkInterfaceId"]
    allocation = ec2.allocate_address(Domain="vpc")
    gateway_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    return {
        "vpc": vpc_id,
        "subnet": subnet_id,
        "eni": eni_id,
        "allocation": allocation["AllocationId"],
        "ip": allocation["PublicIp"],
        "gateway": gateway_id,
    }


def _association(ec2, allocation_id: str) -> str | None:
    [address] = ec2.describe_addresses(AllocationIds=[allocation_id])["Addresses"]
    return address.get("AssociationId")


def test_an_address_maps_only_into_a_vpc_with_its_internet_gateway_attached(ec2, network) -> None:
    def associate() -> dict[str, Any]:
        return ec2.associate_address(AllocationId=network["allocation"], NetworkInterfaceId=network["eni"])

    message = _refused(associate, "Gateway.NotAttached")
    assert message == f"Network {network['vpc']} is not attached to any internet gateway"
    assert _association(ec2, network["allocation"]) is None

    ec2.attach_internet_gateway(InternetGatewayId=network["gateway"], VpcId=network["vpc"])
    assert associate()["AssociationId"] == _association(ec2, network["allocation"])


def test_the_gateway_stays_attached_while_an_address_is_mapped_in_the_vpc(ec2, network) -> None:
    ec2.attach_internet_gateway(InternetGatewayId=network["gateway"], VpcId=network["vpc"])
    association = ec2.associate_address(AllocationId=network["allocation"], NetworkInterfaceId=network["eni"])
    def detach() -> None:
        ec2.detach_internet_gateway(InternetGatewayId=network["gateway"], VpcId=network["vpc"])

    message = _refused(detach, "DependencyViolation")
    assert message == (
        f"Network {network['vpc']} has some mapped public address(es). "
        "Please unmap those public address(es) before detaching the gateway."
    )
    [gateway] = ec2.describe_internet_gateways(InternetGatewayIds=[network["gateway"]])["InternetGateways"]
    assert gateway["Attachments"] == [{"State": "available", "VpcId": network["vpc"]}]

    ec2.disassociate_address(AssociationId=association["AssociationId"])
    detach()


def test_an_associated_address_is_not_released(ec2, network) -> None:
    ec2.attach_internet_gateway(InternetGatewayId=network["gateway"], VpcId=network["vpc"])
    association = ec2.associate_address(AllocationId=network["allocation"], NetworkInterfaceId=network["eni"])
    release = lambda: ec2.release_address(AllocationId=network["allocation"])  # noqa: E731
    assert _refused(release, "InvalidIPAddress.InUse") == f"Address {network['ip']} is in use."
    assert _association(ec2, network["allocation"]) == association["AssociationId"]

    ec2.disassociate_address(AssociationId=association["AssociationId"])
    release()
    assert ec2.describe_addresses()["Addresses"] == []


def test_the_main_route_table_goes_only_with_its_vpc(ec2) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    [main] = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]
    delete = lambda: ec2.delete_route_table(RouteTableId=main["RouteTableId"])  # noqa: E731
    assert _refused(delete, "DependencyViolation") == (
        f"The routeTable '{main['RouteTableId']}' has dependencies and cannot be deleted."
    )
    ec2.delete_vpc(VpcId=vpc_id)
    assert lab_vpcs(ec2) == []
    assert ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"] == []


def test_a_group_another_groups_rule_names_is_not_deleted(ec2) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    source = ec2.create_security_group(GroupName="idc", Description="idc", VpcId=vpc_id)["GroupId"]
    target = ec2.create_security_group(GroupName="aws", Description="aws", VpcId=vpc_id)["GroupId"]
    rule = {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "UserIdGroupPairs": [{"GroupId": source}]}
    ec2.authorize_security_group_ingress(GroupId=target, IpPermissions=[rule])
    delete = lambda: ec2.delete_security_group(GroupId=source)  # noqa: E731
    assert _refused(delete, "DependencyViolation") == f"resource {source} has a dependent object"

    ec2.revoke_security_group_ingress(GroupId=target, IpPermissions=[rule])
    delete()
    assert [g["GroupId"] for g in ec2.describe_security_groups(GroupIds=[target])["SecurityGroups"]] == [target]


def _eip_template(with_depends_on: bool) -> str:
    eip: dict[str, Any] = {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}}
    association: dict[str, Any] = {
        "Type": "AWS::EC2::EIPAssociation",
        "Properties": {"AllocationId": get_att("Eip", "AllocationId"), "NetworkInterfaceId": ref("Eni")},
    }
    if with_depends_on:
        eip["DependsOn"] = association["DependsOn"] = "Attachment"
    # The attachment comes last: without DependsOn nothing orders the association after it
    # (the twin keeps template order between independent resources; AWS runs them in parallel).
    return template(
        {
            "Vpc": vpc(),
            "Public": subnet("Vpc", "10.60.0.0/24"),
            "Eni": {"Type": "AWS::EC2::NetworkInterface", "Properties": {"SubnetId": ref("Public")}},
            "Gateway": {"Type": "AWS::EC2::InternetGateway"},
            "Eip": eip,
            "Association": association,
            "Attachment": {
                "Type": "AWS::EC2::VPCGatewayAttachment",
                "Properties": {"VpcId": ref("Vpc"), "InternetGatewayId": ref("Gateway")},
            },
        }
    )


def test_without_depends_on_the_address_fails_and_the_stack_rolls_back(cfn, ec2) -> None:
    cfn.create_stack(StackName="nodeps", TemplateBody=_eip_template(with_depends_on=False))
    assert stack(cfn, "nodeps")["StackStatus"] == "ROLLBACK_COMPLETE"
    [reason] = [r for status, r in resource_events(cfn, "nodeps", "Association") if status == "CREATE_FAILED"]
    assert "is not attached to any internet gateway" in reason and "Gateway.NotAttached" in reason
    assert ec2.describe_addresses()["Addresses"] == []
    assert lab_vpcs(ec2) == []


def test_with_depends_on_the_stack_builds_and_deletes_in_the_order_aws_needs(cfn, ec2) -> None:
    stack_id = cfn.create_stack(StackName="deps", TemplateBody=_eip_template(with_depends_on=True))["StackId"]
    assert stack(cfn, "deps")["StackStatus"] == "CREATE_COMPLETE"
    cfn.delete_stack(StackName="deps")
    assert cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    assert ec2.describe_addresses()["Addresses"] == []
    assert lab_vpcs(ec2) == []
