"""Browser tests: pages the collection writes, opened in the system's headless Chromium
(chromium_page.py).

The pages are made by the collection's filters, imported through Ansible's collection loader as
the unit tests import them: tests/unit/conftest.py installs that loader, and is run here for it
(it does nothing when the unit tests' session installed it already).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_UNIT_CONFTEST = Path(__file__).resolve().parents[1] / "unit" / "conftest.py"
_spec = importlib.util.spec_from_file_location("hybridlab_unit_conftest", _UNIT_CONFTEST)
_spec.loader.exec_module(importlib.util.module_from_spec(_spec))
