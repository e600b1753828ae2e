"""AWS::EC2::KeyPair is created (private key in SSM as on AWS), imported, and deleted."""

from __future__ import annotations

from labbox_helpers import client
from stack_helpers import get_att, outputs, ref, template

PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEhfRqfQ9vNQ0sTTV0hVvOiXhcc7AaHOAZmyVhbdDWZ3 operator@example"


def test_created_key_pair_has_its_private_key_in_parameter_store(cfn, ec2):
    body = template(
        {
            "Key": {
                "Type": "AWS::EC2::KeyPair",
                "Properties": {"KeyName": "lab-key", "Tags": [{"Key": "Name", "Value": "lab"}]},
            }
        },
        outputs={
            "Name": ref("Key"),
            "Id": get_att("Key", "KeyPairId"),
            "Fingerprint": get_att("Key", "KeyFingerprint"),
        },
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)
    out = outputs(cfn, "lab")

    [key] = ec2.describe_key_pairs(KeyNames=["lab-key"])["KeyPairs"]
    assert out == {"Name": "lab-key", "Id": key["KeyPairId"], "Fingerprint": key["KeyFingerprint"]}
    assert {t["Key"]: t["Value"] for t in key["Tags"]}["Name"] == "lab"
    secret = client("ssm").get_parameter(Name=f"/ec2/keypair/{key['KeyPairId']}", WithDecryption=True)["Parameter"]
    assert secret["Value"].startswith("-----BEGIN")

    cfn.delete_stack(StackName="lab")
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    assert client("ssm").get_parameters(Names=[f"/ec2/keypair/{key['KeyPairId']}"])["Parameters"] == []


def test_imported_key_pair_keeps_the_given_public_key(cfn, ec2):
    body = template(
        {"Key": {"Type": "AWS::EC2::KeyPair", "Properties": {"KeyName": "operator", "PublicKeyMaterial": PUBLIC_KEY}}}
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)

    [key] = ec2.describe_key_pairs(KeyNames=["operator"], IncludePublicKey=True)["KeyPairs"]
    assert key["KeyType"] == "ed25519"
