"""AWS::EC2::KeyPair: moto skipped it, so a template could not create the lab's SSH key.

As on AWS, a created key's private half is stored in SSM Parameter Store as
``/ec2/keypair/<key pair id>`` (SecureString), where the operator fetches it; an imported
key (``PublicKeyMaterial``) has no private half. ``Ref`` gives the key name; every
property is create-only.
"""

from __future__ import annotations

import contextlib
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ssm.exceptions import ParameterNotFound
from moto.ssm.models import ssm_backends

from labbox.cloud import cfn_registry
from labbox.cloud.cfn_resource_base import TwinResource
from labbox.cloud.cfn_resources import tag_dict

PARAMETER_PREFIX = "/ec2/keypair/"


class KeyPairResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::EC2::KeyPair"
    ATTRIBUTES = ("KeyPairId", "KeyFingerprint")
    NAME_PROPERTY = "KeyName"
    TAGGABLE = True

    def create(self) -> str:
        backend = self.ec2_backend
        tags = tag_dict(self.properties.get("Tags"))
        material = self.properties.get("PublicKeyMaterial")
        if material:
            key = backend.import_key_pair(self.name, str(material).encode(), tags)
        else:
            key = backend.create_key_pair(self.name, self.properties.get("KeyType", "rsa"), tags)
            self._ssm.put_parameter(
                name=self.parameter_name(key.id),
                description=f"Private key of EC2 key pair {self.name}",
                value=key.material.decode() if isinstance(key.material, bytes) else str(key.material),
                parameter_type="SecureString",
                allowed_pattern="",
                keyid="",
                overwrite=True,
                tags=[],
                data_type="text",
                tier=None,
                policies=None,
            )
        self.key = key
        return str(key.key_name)

    @staticmethod
    def parameter_name(key_pair_id: str) -> str:
        return PARAMETER_PREFIX + key_pair_id

    @property
    def ec2_resource_id(self) -> str:
        return str(self.key.id)

    @property
    def _ssm(self) -> Any:
        return ssm_backends[self.account_id][self.region_name]

    def remove(self) -> None:
        self.ec2_backend.delete_key_pair(self.physical_id)
        self.ec2_backend.tags.pop(self.key.id, None)
        with contextlib.suppress(ParameterNotFound):
            self._ssm.delete_parameter(self.parameter_name(self.key.id))

    def attribute(self, name: str) -> Any:
        return self.key.id if name == "KeyPairId" else self.key.key_fingerprint


def install() -> None:
    cfn_registry.refresh()
