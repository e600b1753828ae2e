"""Instances need an image and a type that exist; the Amazon Linux SSM parameters resolve to real images."""

from __future__ import annotations

import botocore.exceptions
import pytest

from labbox_helpers import client

AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
REGIONS = ("ap-northeast-2", "ap-northeast-1")


def test_unknown_image_is_refused(image_catalogue):
    ec2 = client("ec2")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.run_instances(ImageId="ami-0123456789abcdef0", MinCount=1, MaxCount=1)
    assert refused.value.response["Error"]["Code"] == "InvalidAMIID.NotFound"
    assert ec2.describe_instances()["Reservations"] == []


@pytest.mark.parametrize("region", REGIONS)
def test_al2023_parameter_resolves_to_a_launchable_amazon_linux_2023_image(image_catalogue, region):
    image_id = client("ssm", region).get_parameter(Name=AL2023)["Parameter"]["Value"]
    ec2 = client("ec2", region)
    [image] = ec2.describe_images(ImageIds=[image_id])["Images"]
    assert image["Name"].startswith("al2023-ami-2023.") and image["Architecture"] == "x86_64"
    assert "Amazon Linux 2023" in image["Description"]
    ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)
    assert len(ec2.describe_instances()["Reservations"]) == 1


def test_an_instance_type_not_offered_is_refused(ec2):
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.run_instances(ImageId="ami-03cf127a", InstanceType="t3.enormous", MinCount=1, MaxCount=1)
    # AWS answers InvalidParameterValue ("Invalid value ... for InstanceType"); moto names it otherwise.
    assert refused.value.response["Error"]["Code"] == "InvalidInstanceType.NotFound"
    ec2.run_instances(ImageId="ami-03cf127a", InstanceType="t3.micro", MinCount=1, MaxCount=1)
    assert len(ec2.describe_instances()["Reservations"]) == 1


@pytest.mark.parametrize("parameter", ["/aws/service/debian/release/12/latest/amd64", "/aws/service/debian/release/bookworm/latest/amd64"])
def test_debian_parameters_resolve_to_a_launchable_debian_12_image(image_catalogue, parameter):
    ssm, ec2 = client("ssm", REGIONS[1]), client("ec2", REGIONS[1])
    resolved = ssm.get_parameter(Name=parameter)["Parameter"]
    assert resolved["DataType"] == "aws:ec2:image"
    [image] = ec2.describe_images(ImageIds=[resolved["Value"]])["Images"]
    assert image["Name"].startswith("debian-12-amd64-") and image["OwnerId"] == "136693071363"
    assert image["Description"].startswith("Debian 12 (")
    ec2.run_instances(ImageId=image["ImageId"], MinCount=1, MaxCount=1)
    # Each region has its own id, as AWS's images do.
    other = client("ssm", REGIONS[0]).get_parameter(Name=parameter)["Parameter"]["Value"]
    assert other != resolved["Value"]


@pytest.mark.parametrize(
    ("owner", "pattern", "starts"),
    [
        ("136693071363", "debian-12-amd64-*", "debian-12-amd64-"),
        ("099720109477", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*", "ubuntu/images/"),
        ("125523088429", "Fedora-Cloud-Base-Generic-41-*", "Fedora-Cloud-Base-Generic-41-"),
        ("amazon", "al2023-ami-2023.*-x86_64", "al2023-ami-2023."),
    ],
)
def test_public_images_are_found_by_owner_and_name_pattern(image_catalogue, owner, pattern, starts):
    ec2 = client("ec2", REGIONS[0])
    found = ec2.describe_images(Owners=[owner], Filters=[{"Name": "name", "Values": [pattern]}])["Images"]
    assert found and all(image["Name"].startswith(starts) for image in found)
    ec2.run_instances(ImageId=found[0]["ImageId"], MinCount=1, MaxCount=1)


def test_canonical_s_parameter_resolves_to_its_ubuntu_image(image_catalogue):
    parameter = "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"
    image_id = client("ssm", REGIONS[0]).get_parameter(Name=parameter)["Parameter"]["Value"]
    [image] = client("ec2", REGIONS[0]).describe_images(ImageIds=[image_id])["Images"]
    assert image["OwnerId"] == "099720109477" and image["Name"].startswith("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04")
