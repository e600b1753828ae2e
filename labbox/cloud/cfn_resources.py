"""Create, update in place, replace-or-not, and delete one resource of a stack.

The stack operations (create with rollback, update, delete) are built from these steps.
Each step either succeeds or raises :class:`ResourceFailure` carrying the reason AWS
would put in the resource's ``ResourceStatusReason``.

Two registries let extensions teach the twin about a resource type:

* :func:`register_deleter` — how to really delete a physical resource. moto's own
  CloudFormation deletes are missing or no-ops for most EC2 types, which is why deleted
  stacks left VPCs, routes and gateways behind.
* :func:`register_updater` — how to apply changed properties without replacement.

Whether a property change needs replacement comes from the resource provider schemas
that cfn-lint ships (``createOnlyProperties``), the same data AWS publishes.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER, ResourceNotFoundError
from moto.cloudformation import parsing
from moto.cloudformation.parsing import ResourceMap
from moto.core.exceptions import ServiceException, _RESTError
from moto.ec2.models import ec2_backends
from moto.ec2.models.core import TaggedEC2Resource

# deleter(resource, account_id, region_name) removes the physical resource.
Deleter = Callable[[Any, str, str], None]
# updater(resource, old_properties, new_properties, account_id, region_name) -> resource
Updater = Callable[[Any, dict[str, Any], dict[str, Any], str, str], Any]

_DELETERS: dict[str, Deleter] = {}
_UPDATERS: dict[str, Updater] = {}


def _null_types() -> frozenset[str]:
    """Types moto accepts with no physical resource to manage (read late: extensions shorten it)."""
    return frozenset(parsing.NULL_MODELS)


class ResourceFailure(Exception):
    """A resource step failed; ``reason`` is what AWS shows as ResourceStatusReason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def register_deleter(resource_type: str) -> Callable[[Deleter], Deleter]:
    def register(deleter: Deleter) -> Deleter:
        _DELETERS[resource_type] = deleter
        return deleter

    return register


def register_updater(resource_type: str) -> Callable[[Updater], Updater]:
    def register(updater: Updater) -> Updater:
        _UPDATERS[resource_type] = updater
        return updater

    return register


def failure_reason(error: BaseException) -> str:
    """Word a failure like a CloudFormation resource handler does."""
    if isinstance(error, ResourceFailure):
        return error.reason
    if isinstance(error, ServiceException):
        code, message = error.code, error.message
    elif isinstance(error, _RESTError):
        code, message = error.error_type, error.message
    else:
        code, message = type(error).__name__, str(error) or type(error).__name__
    return (
        f'Resource handler returned message: "{message} (Service: Ec2, Status Code: 400, '
        f'Request ID: {uuid.uuid4()})" (RequestToken: {uuid.uuid4()}, HandlerErrorCode: {_handler_code(code)}, '
        f"ErrorCode: {code})"
    )


def _handler_code(code: str) -> str:
    if code.endswith("NotFound"):
        return "NotFound"
    if code.endswith(("Duplicate", "AlreadyExists", "InUse")):
        return "AlreadyExists"
    if code in ("DependencyViolation", "ResourceConflict"):
        return "ResourceConflict"
    if code == "TransitGatewayLimitExceeded":
        # The transit gateway types' handlers map it so; AWS::EC2::VPC's report VpcLimitExceeded
        # as a GeneralServiceException, which is what the other limits fall through to.
        return "ServiceLimitExceeded"
    return "InvalidRequest" if code.startswith("Invalid") else "GeneralServiceException"


def resource_type_of(body: Mapping[str, Any]) -> str:
    return str(body.get("Type", ""))


def is_supported(resource_type: str) -> bool:
    return (
        resource_type in _null_types() or resource_type.startswith("Custom::") or resource_type in parsing.get_model_map()
    )


def condition_holds(resource_map: ResourceMap, body: Mapping[str, Any]) -> bool:
    condition = body.get("Condition")
    return not condition or bool(resource_map.lazy_condition_map[condition])


def physical_id(resource: Any, logical_id: str) -> str:
    value = getattr(resource, "physical_resource_id", None)
    return str(value) if value is not None else logical_id


def resolved_properties(resource_map: ResourceMap, body: Mapping[str, Any]) -> dict[str, Any]:
    """The resource's properties with every intrinsic function evaluated."""
    return parsing.clean_json(dict(body.get("Properties") or {}), resource_map)


def properties_store(resource_map: ResourceMap) -> dict[str, dict[str, Any]]:
    """Resolved properties of each live resource, as last applied (to detect changes)."""
    store = getattr(resource_map, "labbox_properties", None)
    if store is None:
        store = {}
        resource_map.labbox_properties = store
    return store


def create(resource_map: ResourceMap, logical_id: str) -> Any:
    """Create one resource through moto's parser, tag it like CloudFormation, remember its properties."""
    body = resource_map._resource_json_map[logical_id]
    kind = resource_type_of(body)
    if not is_supported(kind):
        raise ResourceFailure(
            f"Resource type {kind} is not supported by the offline twin: it cannot create {logical_id}."
        )
    try:
        properties = resolved_properties(resource_map, body)
        resource = resource_map[logical_id]
        if resource is not None:
            _tag(resource_map, logical_id, resource, properties)
    except ResourceFailure:
        raise
    except Exception as error:  # noqa: BLE001 - any backend error fails this resource, as in AWS
        raise ResourceFailure(failure_reason(error)) from error
    properties_store(resource_map)[logical_id] = properties
    return resource


def _tag(resource_map: ResourceMap, logical_id: str, resource: Any, properties: Mapping[str, Any]) -> None:
    """CloudFormation's own tags plus the template's ``Tags`` on every taggable EC2 resource."""
    if not is_taggable(resource):
        return
    tags = {
        "aws:cloudformation:stack-name": resource_map["AWS::StackName"],
        "aws:cloudformation:stack-id": resource_map["AWS::StackId"],
        "aws:cloudformation:logical-id": logical_id,
    }
    tags.update({k: v for k, v in resource_map.tags.items() if not k.startswith("aws:")})
    tags.update(tag_dict(properties.get("Tags")))
    backend = ec2_backends[resource_map._account_id][resource_map._region_name]
    backend.create_tags([ec2_id(resource)], tags)


def is_taggable(resource: Any) -> bool:
    """EC2 resources carry tags: moto's tagged models, and added types that say so."""
    return isinstance(resource, TaggedEC2Resource) or bool(getattr(resource, "TAGGABLE", False))


def ec2_id(resource: Any) -> str:
    """The id EC2 files tags under (an EIP's physical id is its address, its tags hang on the allocation)."""
    explicit = getattr(resource, "ec2_resource_id", None)
    return str(explicit or getattr(resource, "id", None) or resource.physical_resource_id)


def tag_dict(tags: Any) -> dict[str, str]:
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {str(t["Key"]): str(t.get("Value", "")) for t in tags or [] if isinstance(t, dict) and "Key" in t}


def delete(resource_map: ResourceMap, logical_id: str, resource: Any, body: Mapping[str, Any]) -> None:
    """Delete the physical resource behind ``logical_id``."""
    kind = resource_type_of(body)
    try:
        if resource is None or isinstance(resource, str) or kind in _null_types():
            return
        deleter = _DELETERS.get(kind)
        if deleter is not None:
            deleter(resource, resource_map._account_id, resource_map._region_name)
        else:
            resource_map._delete_resource(resource, body)
    except ResourceFailure:
        raise
    except Exception as error:  # noqa: BLE001
        raise ResourceFailure(failure_reason(error)) from error


@functools.lru_cache(maxsize=None)
def create_only_properties(resource_type: str, region_name: str) -> frozenset[str] | None:
    """Top-level properties whose change replaces the resource; None when the type is unknown."""
    try:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region_name, resource_type).schema
    except ResourceNotFoundError:
        return None
    return frozenset(path.split("/")[2] for path in schema.get("createOnlyProperties", []))


def changed_properties(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    return {key for key in set(old) | set(new) if old.get(key) != new.get(key)}


def needs_replacement(resource_type: str, region_name: str, changed: set[str], model: Any = None) -> bool:
    """Whether AWS replaces a resource of ``resource_type`` when ``changed`` properties change."""
    declared = getattr(model, "CREATE_ONLY_PROPERTIES", None)
    create_only = frozenset(declared) if declared is not None else create_only_properties(resource_type, region_name)
    if create_only is None:
        return True
    return bool(changed & create_only)


def update_in_place(
    resource_map: ResourceMap,
    logical_id: str,
    resource: Any,
    resource_type: str,
    old: dict[str, Any],
    new: dict[str, Any],
) -> Any:
    """Apply changed properties to the live resource; returns the (possibly new) model object."""
    changed = changed_properties(old, new)
    account_id, region_name = resource_map._account_id, resource_map._region_name
    try:
        if "Tags" in changed and is_taggable(resource):
            _retag(resource, old.get("Tags"), new.get("Tags"), account_id, region_name)
            changed.discard("Tags")
        if changed:
            updater = _UPDATERS.get(resource_type)
            if updater is not None:
                resource = updater(resource, old, new, account_id, region_name) or resource
            elif _has_own_update(resource):
                # A model that implements moto's update protocol decides for itself.
                resource = (
                    type(resource).update_from_cloudformation_json(
                        original_resource=resource,
                        new_resource_name=parsing.generate_resource_name(
                            resource_type, resource_map["AWS::StackName"], logical_id
                        ),
                        cloudformation_json={"Type": resource_type, "Properties": new},
                        account_id=account_id,
                        region_name=region_name,
                    )
                    or resource
                )
            else:
                raise ResourceFailure(
                    f"The offline twin cannot update {', '.join(sorted(changed))} of {resource_type} "
                    f"{logical_id} in place."
                )
    except ResourceFailure:
        raise
    except Exception as error:  # noqa: BLE001
        raise ResourceFailure(failure_reason(error)) from error
    properties_store(resource_map)[logical_id] = new
    return resource


def _has_own_update(resource: Any) -> bool:
    method = getattr(type(resource), "update_from_cloudformation_json", None)
    return method is not None and not getattr(method, "__isabstractmethod__", False)


def _retag(resource: Any, old_tags: Any, new_tags: Any, account_id: str, region_name: str) -> None:
    backend = ec2_backends[account_id][region_name]
    old, new = tag_dict(old_tags), tag_dict(new_tags)
    gone = {key: None for key in old if key not in new}
    if gone:
        backend.delete_tags([ec2_id(resource)], gone)
    if new:
        backend.create_tags([ec2_id(resource)], new)
