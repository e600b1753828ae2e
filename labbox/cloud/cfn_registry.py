"""Make moto's CloudFormation parser see resource types that we add.

moto builds its type map lazily from ``CloudFormationModel.__subclasses__()`` and
caches it; a model class defined after the first stack operation would stay invisible
unless the caches are cleared. Every extension that defines a new CloudFormation
type calls :func:`refresh` once its classes exist.
"""

from __future__ import annotations

from moto.cloudformation import parsing


def refresh() -> None:
    """Forget moto's cached type maps so newly defined models are picked up."""
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()


def supported_types() -> set[str]:
    """The CloudFormation resource types the twin can create."""
    return set(parsing.get_model_map())
