"""A base for the CloudFormation resource types the twin adds on top of moto's backends.

moto's parser knows a type only through a *direct* subclass of ``CloudFormationModel``
with a handful of class-level hooks. :class:`TwinResource` supplies those hooks so a new
type reads as what it does::

    class TransitGatewayRouteTableResource(TwinResource, CloudFormationModel):
        TYPE = "AWS::EC2::TransitGatewayRouteTable"
        ATTRIBUTES = ("TransitGatewayRouteTableId",)

        def create(self) -> str:          # make the backend object, return the physical id
            ...
        def remove(self) -> None:         # delete it (raise EC2's errors where EC2 would)
            ...
        def update(self, old, new) -> None:  # optional: properties changed in place
            ...
        def wait_until_stable(self, still_wanted) -> None:  # optional: CREATE_COMPLETE only after
            ...

then ``cfn_registry.refresh()``. Which property changes replace the resource comes from
the resource provider schema (``CREATE_ONLY_PROPERTIES`` overrides it); ``Tags`` are
applied and updated by the stack engine for EC2 resources whose ``ec2_resource_id``
names a taggable id and ``TAGGABLE`` is set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.ec2.models import ec2_backends

from labbox.cloud.cfn_resources import ResourceFailure


class TwinResource:
    """Mixin: put it *before* ``CloudFormationModel`` in the bases of a new resource type."""

    TYPE: ClassVar[str] = ""
    # Fn::GetAtt names this type serves (through :meth:`attribute`).
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ()
    # Properties whose change replaces the resource; None: take them from the schema.
    CREATE_ONLY_PROPERTIES: ClassVar[tuple[str, ...] | None] = None
    # The template property that names the physical resource (e.g. KeyName), if any.
    NAME_PROPERTY: ClassVar[str] = ""
    # Whether EC2 keeps tags on it (the stack's and the template's Tags are then applied).
    TAGGABLE: ClassVar[bool] = False
    # Whether its creation waits for something outside the stack (a signal), however long:
    # a stack with one is always created in the background, even when nothing else takes time.
    WAITS_OUTSIDE: ClassVar[bool] = False

    def __init__(self, account_id: str, region_name: str, logical_id: str, name: str, properties: dict[str, Any]):
        self.account_id = account_id
        self.region_name = region_name
        self.logical_id = logical_id
        self.name = name
        self.properties = properties
        self.physical_id = ""
        self.stack_id = ""

    # --- what a type implements -------------------------------------------------------
    def create(self) -> str:
        """Create the backend object; return the physical id (what ``Ref`` gives)."""
        raise NotImplementedError

    def remove(self) -> None:
        """Delete the backend object."""
        raise NotImplementedError

    def update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Apply changed properties in place (only called for non-create-only changes)."""
        changed = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))
        raise ResourceFailure(f"The offline twin cannot update {', '.join(changed)} of {self.TYPE} in place.")

    def attribute(self, name: str) -> Any:
        """The value of ``Fn::GetAtt [logical id, name]``."""
        raise UnformattedGetAttTemplateException()

    def wait_until_stable(self, still_wanted: Callable[[], bool]) -> None:
        """Return once the resource may be reported ``CREATE_COMPLETE``; raise ResourceFailure if
        it never will. Stop waiting (and return) as soon as ``still_wanted()`` is false."""

    # --- helpers ----------------------------------------------------------------------
    @property
    def ec2_backend(self) -> Any:
        return ec2_backends[self.account_id][self.region_name]

    @property
    def ec2_resource_id(self) -> str:
        """The id EC2 files this resource's tags under (the physical id by default)."""
        return self.physical_id

    # --- moto's CloudFormationModel protocol ------------------------------------------
    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.NAME_PROPERTY

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.ATTRIBUTES:
            raise UnformattedGetAttTemplateException()
        return self.attribute(attribute_name)

    @property
    def physical_resource_id(self) -> str:
        return self.physical_id

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> TwinResource:
        properties = dict(cloudformation_json.get("Properties") or {})
        resource = cls(account_id, region_name, str(kwargs.get("LogicalId", "")), resource_name, properties)
        resource.stack_id = str(kwargs.get("StackId", ""))
        resource.physical_id = resource.create()
        return resource

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: TwinResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> TwinResource:
        new = dict(cloudformation_json.get("Properties") or {})
        original_resource.update(original_resource.properties, new)
        original_resource.properties = new
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        """Unused: stacks delete through :meth:`delete` on the live object."""

    def delete(self, account_id: str, region_name: str) -> None:
        self.remove()

    def is_created(self) -> bool:
        return True
