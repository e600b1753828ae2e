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
        "ImageId": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
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
        "ImageId": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
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
    "tgw": {
        "LabName": "hybridlab",
        "OperatorCidr": REQUIRED,
        "Vpc0Cidr": "10.0.0.0/16",
        "Vpc0SubnetCidrs": "10.0.1.0/24,10.0.2.0/24,10.0.3.0/24,10.0.4.0/24",
        "Vpc1Cidr": "10.1.0.0/16",
        "Vpc1SubnetCidrs": "10.1.1.0/24,10.1.2.0/24,10.1.3.0/24,10.1.4.0/24",
        "Vpc2Cidr": "10.2.0.0/16",
        "Vpc2SubnetCidrs": "10.2.1.0/24,10.2.2.0/24,10.2.3.0/24,10.2.4.0/24",
        "TgwRoutedCidr": "10.0.0.0/8",
        "TgwAsn": 64512,
        "EndpointService": "ec2",
        "InstanceType": "t3.micro",
        "ImageId": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        "KeyName": "",
    },
    "tgw_vpn": {
        "LabName": "hybridlab",
        "TransitGatewayId": REQUIRED,
        "CgwPublicIp": REQUIRED,
        "IdcPrivateRouteTableId": REQUIRED,
        "CgwNetworkInterfaceId": REQUIRED,
        "TgwNetworksCidr": "10.0.0.0/14",
        "CgwBgpAsn": 65001,
        "Tunnel1Psk": REQUIRED,
        "Tunnel2Psk": REQUIRED,
        "Tunnel1InsideCidr": "",
        "Tunnel2InsideCidr": "",
    },
    "tgw_attachment_routes": {
        "TransitGatewayRouteTableId": REQUIRED,
        "TransitGatewayAttachmentId": REQUIRED,
        "Destination1Cidr": REQUIRED,
        "Destination2Cidr": "",
        "Destination3Cidr": "",
    },
    "tgw_peer": {
        "LabName": "hybridlab",
        "PeerVpcCidr": "10.3.0.0/16",
        "PeerSubnetCidrs": "10.3.1.0/24,10.3.2.0/24",
        "TgwRoutedCidr": "10.0.0.0/8",
        "TgwAsn": 64513,
        "InstanceType": "t3.micro",
        "ImageId": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        "KeyName": "",
    },
    "tgw_peering": {
        "LabName": "hybridlab",
        "TransitGatewayId": REQUIRED,
        "PeerTransitGatewayId": REQUIRED,
        "PeerRegion": REQUIRED,
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
    "tgw": {
        "TransitGatewayId",
        "TransitGatewayRouteTableId",
        "VpcEndpointId",
        *(f"Vpc{n}{name}" for n in range(3) for name in ("Id", "AttachmentId", "Ec2InstanceId", "Ec2PrivateIp")),
    },
    "tgw_vpn": {"CustomerGatewayId", "VpnConnectionId", "TgwNetworksCidr"},
    "tgw_attachment_routes": {"TransitGatewayAttachmentId", "TransitGatewayRouteTableId"},
    "tgw_peer": {"TransitGatewayId", "TransitGatewayRouteTableId", "VpcId", "PeerEc2InstanceId", "PeerEc2PrivateIp"},
    "tgw_peering": {"PeeringAttachmentId", "PeerRegion"},
}
