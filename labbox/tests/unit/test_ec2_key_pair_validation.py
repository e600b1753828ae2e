"""Instances need an existing key pair, when they name one."""

from __future__ import annotations

import botocore.exceptions
import pytest

AMI = "ami-12c6146b"


def test_unknown_key_pair_is_refused(ec2):
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, KeyName="missing")
    assert refused.value.response["Error"]["Code"] == "InvalidKeyPair.NotFound"


def test_existing_or_no_key_pair_is_accepted(ec2):
    ec2.create_key_pair(KeyName="lab")
    ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, KeyName="lab")
    ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)
    assert len(ec2.describe_instances()["Reservations"]) == 2
