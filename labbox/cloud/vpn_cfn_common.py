"""What the VPN CloudFormation types share.

The twin's stack engine (``cfn_stack_*``) decides between an in-place update and a
replacement from a model's ``CREATE_ONLY_PROPERTIES``, applies ``Tags`` and the stack's
``aws:cloudformation:*`` tags itself, creates a replacement before deleting what it
replaces, and re-resolves the properties of resources that reference a replaced one. The
VPN types therefore only say which properties replace them, and create and delete.

Types that extend one of moto's EC2 models (customer gateway, VPN gateway, VPN
connection) put :class:`Ec2ModelResource` first in their bases; types with no moto model
behind them build on :class:`~labbox.cloud.cfn_resource_base.TwinResource`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

from labbox.cloud.vpn_ec2_classes import ec2_backend


def properties_of(cloudformation_json: Mapping[str, Any]) -> dict[str, Any]:
    return dict(cloudformation_json.get("Properties") or {})


def tags_of(properties: Mapping[str, Any]) -> dict[str, str]:
    """The ``Tags`` property as a dict (CloudFormation writes a list of Key/Value)."""
    return {str(tag["Key"]): str(tag["Value"]) for tag in properties.get("Tags") or []}


def all_but_tags(properties: Iterable[str]) -> tuple[str, ...]:
    """For types that AWS replaces on any change except to ``Tags``."""
    return tuple(name for name in properties if name != "Tags")


class Ec2BackendLifecycle:
    """Mixin: a stack creates and deletes the resource through its EC2 backend.

    A type says how in :meth:`create_in` and :meth:`delete_in`; this mixin turns moto's
    CloudFormation calls (which name an account and region) into those.
    """

    @classmethod
    def create_in(cls, backend: Any, properties: dict[str, Any]) -> Any:
        """Create the resource from the template's resolved properties; return the model."""
        raise NotImplementedError

    def delete_in(self, backend: Any) -> None:
        """Delete the resource."""
        raise NotImplementedError

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        return cls.create_in(ec2_backend(account_id, region_name), properties_of(cloudformation_json))

    def delete(self, account_id: str, region_name: str) -> None:
        self.delete_in(ec2_backend(account_id, region_name))


class Ec2ModelResource(Ec2BackendLifecycle):
    """Mixin: the CloudFormation side of one of moto's EC2 models, known by its ``id``.

    Put it first in the bases, before the moto model and ``CloudFormationModel`` (moto's
    parser only sees *direct* subclasses of ``CloudFormationModel``). ``Ref`` gives the
    id, and so does ``Fn::GetAtt`` of ``ID_ATTRIBUTE``, the one attribute these types have.
    """

    TYPE: ClassVar[str] = ""
    ID_ATTRIBUTE: ClassVar[str] = ""
    id: str

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @staticmethod
    def cloudformation_name_type() -> str:
        # No name property: AWS generates the id.
        return ""

    @property
    def physical_resource_id(self) -> str:
        return self.id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == cls.ID_ATTRIBUTE

    def get_cfn_attribute(self, attribute_name: str) -> str:
        if attribute_name == self.ID_ATTRIBUTE:
            return self.id
        raise UnformattedGetAttTemplateException()

    def is_created(self) -> bool:
        return True
