"""The interface the other parts of the collection build against: each template's parameters
with their defaults (the seed lab's values) and its outputs."""

from __future__ import annotations

from typing import Any

# No default: the value must be given (who may SSH, IDs from the other stacks, the PSKs).
REQUIRED = object()

# The agreed parameters of each template and their defaults: the seed lab's values.
CONTRACT: dict[str, dict[str, Any]] = {
    "idc": {
        "LabName": "hybridlab",
        "IdcVpcCidr": "10.60.0.0/16",
        "IdcPublicSubnetCidr": "10.60.0.0/24",
        "IdcPrivateSubnetCidr": "10.60.1.0/24",
        "CgwPrivateIp": "10.60.0.100",
        "IdcEc2PrivateIp": "10.60.1.100",
        "AwsVpcCidr": "10.50.0.0/16",
        "OperatorCidr": REQUIRED,
        "InstanceType": "t3.micro",
        "ImageId": "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
        "KeyName": "",
    },
    "aws": {
        "LabName": "hybridlab",
        "AwsVpcCidr": "10.50.0.0/16",
        "AwsPublicSubnetCidr": "10.50.1.0/24",
        "AwsEc2PrivateIp": "10.50.1.100",
        "IdcVpcCidr": "10.60.0.0/16",
        "OperatorCidr": REQUIRED,
        "InstanceType": "t3.micro",
        "ImageId": "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
        "KeyName": "",
    },
    "vpn": {
        "LabName": "hybridlab",
        "VpcId": REQUIRED,
        "PublicRouteTableId": REQUIRED,
        "CgwPublicIp": REQUIRED,
        "IdcVpcCidr": "10.60.0.0/16",
        "VgwAsn": 64512,
        "CgwBgpAsn": 65000,
        "Tunnel1Psk": REQUIRED,
        "Tunnel2Psk": REQUIRED,
        "Tunnel1InsideCidr": "",
        "Tunnel2InsideCidr": "",
    },
}

# Outputs the stacks role publishes and wires into the next stack.
AGREED_OUTPUTS: dict[str, set[str]] = {
    "idc": {
        "VpcId",
        "PublicSubnetId",
        "PrivateSubnetId",
        "PublicRouteTableId",
        "PrivateRouteTableId",
        "CgwInstanceId",
        "CgwNetworkInterfaceId",
        "CgwPublicIp",
        "CgwPrivateIp",
        "CgwSecurityGroupId",
        "IdcEc2InstanceId",
        "IdcEc2PrivateIp",
        "AvailabilityZone",
    },
    "aws": {"VpcId", "PublicSubnetId", "PublicRouteTableId", "AwsEc2InstanceId", "AwsEc2PrivateIp", "AvailabilityZone"},
    "vpn": {"VpnGatewayId", "CustomerGatewayId", "VpnConnectionId"},
}
