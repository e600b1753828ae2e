"""Stand-in for the get-pip.py bootstrap that ansible-test downloads for its sanity environments.

ansible-test creates each sanity test's virtual environment without pip, then fetches
get-pip.py from a CI file server to install pip into it. That server is out of reach here,
while the Python package index is not. scripts/ansible-test.sh puts this file where
ansible-test caches get-pip.py, so instead: pip is installed from the wheel bundled with Python
(ensurepip, no network), then that pip installs what ansible-test asked get-pip.py for (its
pinned pip release) from the package index, as it then does for each test's requirements.
"""

from __future__ import annotations

import subprocess
import sys

# get-pip.py's own switches; pip does not know them.
GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")


def main() -> None:
    """Bootstrap pip into the running interpreter, then install the requested packages."""
    # In a child process: ensurepip turns off pip's configuration (index, certificates) in the
    # environment of the process that runs it, and the install below needs that configuration.
    subprocess.run([sys.executable, "-m", "ensurepip"], check=True)
    pip_arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY_OPTIONS]
    subprocess.run([sys.executable, "-m", "pip", "install", "--upgrade", *pip_arguments], check=True)


if __name__ == "__main__":
    main()
