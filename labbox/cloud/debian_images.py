"""Debian 12's public images and SSM parameters in every region, beside moto's Amazon Linux ones.

The lab runs on Amazon Linux 2023 by default and its gateway role supports Debian 12 too
(``lab_image_ssm_parameter=/aws/service/debian/release/12/latest/amd64``). moto's catalogue
holds Amazon Linux only, so that choice could not launch on the twin, and nothing showed
that the login user follows the image (``admin`` on Debian's images, as its cloud-init
configures it, ``ec2-user`` on Amazon Linux). Here each region gets one Debian 12 image
under Debian's owner id, name and description forms, and the parameters Debian publishes
(``/aws/service/debian/release/{12,bookworm}/latest/amd64``) resolve to it.

The ids are made up (stable per region); the names follow Debian's, dated when written.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from moto import settings
from moto.ec2.models.amis import Ami, AmiBackend
from moto.ssm.models import Parameter, ParameterDict

from labbox.cloud import patching

DEBIAN_OWNER = "136693071363"
RELEASE = "debian-12-amd64-20261015-2271"
PARAMETERS = ("/aws/service/debian/release/12/latest/amd64", "/aws/service/debian/release/bookworm/latest/amd64")
PARAMETER_PREFIX = "/aws/service/debian/"
_LOADED = "labbox_debian_parameters_loaded"


def image_id(region_name: str) -> str:
    """The Debian 12 image's id in ``region_name`` (17 hex digits, like AWS's)."""
    return "ami-0" + hashlib.sha256(f"{RELEASE}/{region_name}".encode()).hexdigest()[:16]


def _load_amis(self: AmiBackend) -> None:
    patching.original(AmiBackend, "_load_amis", self)()
    if not settings.ec2_load_default_amis():
        return  # no catalogue at all (the twin's unit tests name their own images)
    region_name = self.region_name  # type: ignore[attr-defined]
    self.amis[image_id(region_name)] = Ami(
        self,
        ami_id=image_id(region_name),
        name=RELEASE,
        description=f"Debian 12 ({RELEASE.removeprefix('debian-12-amd64-')})",
        owner_id=DEBIAN_OWNER,
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
    if str(key or "").startswith(PARAMETER_PREFIX) and not getattr(self, _LOADED, False):
        setattr(self, _LOADED, True)
        for name in PARAMETERS:
            super(ParameterDict, self).__getitem__(name).append(_parameter(self, name))


def _parameter(parameters: ParameterDict, name: str) -> Any:
    return Parameter(
        account_id=parameters.account_id,
        name=name,
        value=image_id(parameters.region_name),
        parameter_type="String",
        description=None,
        allowed_pattern=None,
        keyid=None,
        last_modified_date=datetime.datetime(2026, 10, 15, tzinfo=datetime.timezone.utc),
        version=1,
        data_type="aws:ec2:image",
    )


def install() -> None:
    patching.override(AmiBackend, "_load_amis", _load_amis)
    patching.override(ParameterDict, "_check_loading_status", _check_loading_status)
