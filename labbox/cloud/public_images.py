"""Public images beside moto's Amazon Linux catalogue: Debian 12, Ubuntu 24.04, Fedora Cloud.

The lab runs on Amazon Linux 2023 by default and its gateway role supports Debian 12 too
(``lab_image_ssm_parameter=/aws/service/debian/release/12/latest/amd64``); public automation
looks images up by their publisher's owner id and name pattern (Canonical's ``ubuntu/images/
...``, Fedora's ``Fedora-Cloud-Base-...``). moto's catalogue holds Amazon Linux only, so such
choices could not launch on the twin and such lookups found nothing. Here each region gets one
image per family under its publisher's real owner id, name and description forms, and the SSM
parameters the publisher maintains (Debian, Canonical) resolve to it. The login user follows
the name as the images' cloud-init sets it (``admin``, ``ubuntu``, ``fedora``; the data plane
reads it from the name).

The ids are made up (stable per region); the names follow each publisher's form, dated when
written.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from moto import settings
from moto.ec2.models.amis import Ami, AmiBackend
from moto.ssm.models import Parameter, ParameterDict

from labbox.cloud import patching


@dataclass(frozen=True)
class PublicImage:
    owner_id: str
    name: str
    description: str
    parameters: tuple[str, ...] = ()

    def image_id(self, region_name: str) -> str:
        """This image's id in ``region_name`` (17 hex digits, like AWS's)."""
        return "ami-0" + hashlib.sha256(f"{self.name}/{region_name}".encode()).hexdigest()[:16]


DEBIAN_12 = PublicImage(
    "136693071363",
    "debian-12-amd64-20261015-2271",
    "Debian 12 (20261015-2271)",
    ("/aws/service/debian/release/12/latest/amd64", "/aws/service/debian/release/bookworm/latest/amd64"),
)
UBUNTU_24_04 = PublicImage(
    "099720109477",
    "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261010",
    "Canonical, Ubuntu, 24.04, amd64 noble image",
    ("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",),
)
FEDORA_CLOUD_41 = PublicImage(
    "125523088429",
    "Fedora-Cloud-Base-Generic-41-20261012.0.x86_64-hvm-gp3-0",
    "Fedora-Cloud-Base-Generic-41-20261012.0.x86_64",
)
IMAGES = (DEBIAN_12, UBUNTU_24_04, FEDORA_CLOUD_41)
PARAMETER_PREFIXES = ("/aws/service/debian/", "/aws/service/canonical/")
_LOADED = "labbox_public_image_parameters_loaded"
_PUBLISHED = datetime.datetime(2026, 10, 15, tzinfo=datetime.timezone.utc)


def _load_amis(self: AmiBackend) -> None:
    patching.original(AmiBackend, "_load_amis", self)()
    if not settings.ec2_load_default_amis():
        return  # no catalogue at all (the twin's unit tests name their own images)
    region_name = self.region_name  # type: ignore[attr-defined]
    for image in IMAGES:
        self.amis[image.image_id(region_name)] = Ami(
            self,
            ami_id=image.image_id(region_name),
            name=image.name,
            description=image.description,
            owner_id=image.owner_id,
            public=True,
            virtualization_type="hvm",
            architecture="x86_64",
            hypervisor="xen",
            root_device_type="ebs",
            root_device_name="/dev/xvda",
            region_name=region_name,
        )


def _check_loading_status(self: ParameterDict, key: str) -> None:
    patching.original(ParameterDict, "_check_loading_status", self)(key)
    if str(key or "").startswith(PARAMETER_PREFIXES) and not getattr(self, _LOADED, False):
        setattr(self, _LOADED, True)
        for image in IMAGES:
            for name in image.parameters:
                super(ParameterDict, self).__getitem__(name).append(_parameter(self, name, image))


def _parameter(parameters: ParameterDict, name: str, image: PublicImage) -> Any:
    return Parameter(
        account_id=parameters.account_id,
        name=name,
        value=image.image_id(parameters.region_name),
        parameter_type="String",
        description=None,
        allowed_pattern=None,
        keyid=None,
        last_modified_date=_PUBLISHED,
        version=1,
        data_type="aws:ec2:image",
    )


def install() -> None:
    patching.override(AmiBackend, "_load_amis", _load_amis)
    patching.override(ParameterDict, "_check_loading_status", _check_loading_status)
