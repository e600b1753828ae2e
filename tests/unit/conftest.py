"""Make `ansible_collections.hybridlab.aws` importable when pytest runs outside ansible-test.

ansible-test units installs Ansible's collection loader over the
`.../ansible_collections/hybridlab/aws` tree it runs from before any conftest is read. A plain
`pytest tests/unit` from the repository installs the same loader here, pointed at a collections
directory whose `ansible_collections/hybridlab/aws` links back to the repository:
`collections/` when the repository has that link, else `build/`, where the link is made.
amazon.aws is found where the `ansible` package installed it (the loader also scans sys.path).
Using Ansible's own loader, rather than plain namespace packages, keeps imports identical in
both runs and lets tests load plugins through Ansible's plugin loaders.

Under ansible-test, module unit tests run where only `ansible.module_utils` is importable, so
nothing beyond it is imported unless the loader is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _collections_dir() -> Path:
    """A directory holding ansible_collections/hybridlab/aws -> this repository."""
    for candidate in (REPO_ROOT / "collections", REPO_ROOT / "build"):
        if (candidate / "ansible_collections" / "hybridlab" / "aws" / "galaxy.yml").is_file():
            return candidate
    namespace_dir = REPO_ROOT / "build" / "ansible_collections" / "hybridlab"
    namespace_dir.mkdir(parents=True, exist_ok=True)
    try:
        # Relative, so the tree survives moving or mounting the repository elsewhere.
        (namespace_dir / "aws").symlink_to(os.path.relpath(REPO_ROOT, namespace_dir), target_is_directory=True)
    except FileExistsError:
        pass  # another pytest worker made it first
    return REPO_ROOT / "build"


try:
    from ansible.utils.collection_loader import AnsibleCollectionConfig
except ImportError:  # ansible-test's module context, where its own loader is in place
    AnsibleCollectionConfig = None

if AnsibleCollectionConfig is not None and AnsibleCollectionConfig.collection_finder is None:
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([str(_collections_dir())])
