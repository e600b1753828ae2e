"""The generated documentation says what its one source says.

scripts/docs.py renders the variables section of roles/<role>/README.md from the role's argument
specs, and the stack table of cloudformation/README.md from the stack catalogue; a section edited
by hand, or a source changed without rerunning the script, fails here with the README named.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The built collection (what ansible-test runs from) has no galaxy.yml, and galaxy.yml's
# build_ignore leaves out scripts/, which this test drives.
pytestmark = pytest.mark.skipif(not (ROOT / "scripts").is_dir() or not (ROOT / "galaxy.yml").is_file(),
                                reason="needs the source tree, not the built collection")


def test_generated_sections_match_their_sources():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "docs.py"), "--check"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr

