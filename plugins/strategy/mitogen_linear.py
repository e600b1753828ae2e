# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Strategy plugin: Ansible's linear strategy, run through Mitogen when Mitogen is installed."""

from __future__ import annotations

DOCUMENTATION = r"""
name: mitogen_linear
author: hybridlab maintainers (!UNKNOWN)
version_added: 0.2.0
short_description: Linear, through Mitogen when it is installed
description:
  - The strategy of the lab's plays that work on its instances (IDC-CGW, IDC-EC2, AWS-EC2, the
    Transit Gateway labs' instances) and of its controller plays that poll no C(async) task
    (tunnels, preflight, report, teardown). It runs tasks exactly as C(ansible.builtin.linear) does.
  - When Mitogen's Ansible extension (the C(mitogen) Python package, installed with the lab's
    Python dependencies) can be imported, the tasks go through Mitogen's connection, with one Python
    interpreter per host for the whole run, reused by every task, instead of a new SSH session,
    a new interpreter and a new AnsiballZ payload per task. A module run on an instance then
    costs a fraction of a second instead of seconds (most of all under emulation); on the
    controller, an AWS module skips the start of a new interpreter.
  - Without Mitogen, or with C(HYBRIDLAB_MITOGEN=false) in the environment, it is
    C(ansible.builtin.linear) unchanged, over the plain C(ssh) connection.
  - The plays that deploy stacks keep C(ansible.builtin.linear), since they poll C(async) tasks,
    which did not finish under Mitogen's strategies.
"""

import os

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.strategy.linear import StrategyModule as LinearStrategyModule
from ansible.utils.display import Display

display = Display()

try:
    import ansible_mitogen.strategy
except ImportError:
    ansible_mitogen = None


def mitogen_wanted():
    """Mitogen is used when it is importable and HYBRIDLAB_MITOGEN does not turn it off."""
    return ansible_mitogen is not None and boolean(os.environ.get("HYBRIDLAB_MITOGEN", "true"), strict=False)


if mitogen_wanted():

    class StrategyModule(ansible_mitogen.strategy.StrategyMixin, LinearStrategyModule):
        """Mitogen's mixin over the linear strategy, as Mitogen's own mitogen_linear does."""

else:

    class StrategyModule(LinearStrategyModule):
        """The linear strategy; says once, at -vvv, why Mitogen is not in use."""

        def run(self, iterator, play_context):
            reason = "not installed" if ansible_mitogen is None else "turned off by HYBRIDLAB_MITOGEN"
            display.vvv(f"hybridlab.aws.mitogen_linear: Mitogen {reason}; linear over the plain connection")
            return super().run(iterator, play_context)
