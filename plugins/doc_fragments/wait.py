# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of every hybridlab.aws module that waits for an AWS state, documented once."""

from __future__ import annotations


class ModuleDocFragment:
    # Each module documents its own `wait`: the condition it waits for, V(none) for no wait.
    DOCUMENTATION = r"""
options:
  wait_timeout:
    description:
      - How many seconds the whole wait for O(wait) may take. On timeout the module fails with the
        condition and what it saw last; a resource in a state it never leaves for the condition
        (being deleted, rejected, failed) fails the wait at once.
      - The lab's roles pass their lab wait variables (C(lab_wait_tunnels), C(lab_wait_tgw)), set above
        AWS's slow tails.
    type: int
    default: 600
  wait_delay:
    description: Seconds between two reads while waiting.
    type: int
    default: 5
"""
