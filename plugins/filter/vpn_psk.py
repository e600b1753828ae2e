# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter naming each AWS rule a single VPN tunnel pre-shared key breaks.

The rules live in module_utils/lab_rules.py, shared with the vpn_psks_problems filter that
checks the pair of keys; the sentences never quote the key.
"""

from __future__ import annotations

from ansible_collections.hybridlab.aws.plugins.module_utils import lab_rules


def vpn_psk_problems(psk, name="psk"):
    """Sentences naming ``name`` and each AWS PSK rule ``psk`` breaks; empty when it is valid."""
    return lab_rules.psk_problems(psk, name)


class FilterModule:
    """hybridlab.aws pre-shared key filter."""

    def filters(self):
        return {"vpn_psk_problems": vpn_psk_problems}
