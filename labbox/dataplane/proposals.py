"""The Libreswan proposals a tunnel endpoint accepts, from the tunnel's AWS options.

AWS lists per tunnel the encryption and integrity algorithms and DH groups it accepts in
each phase. The twin's endpoint accepts the same, as far as Debian's Libreswan 4.10 can:
DH groups 2 (modp1024) and 22-24 are not in its default build, and for the child SA it
accepts one PFS group only (more needs CHILD_SA INVALID_KE, which 4.10 does not implement):
group 14 when the tunnel allows it, the first allowed group otherwise. The first child SA of
IKEv2 is made without a key exchange, so this matters only at rekeying.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ENCRYPTION = {"AES128": "aes128", "AES256": "aes256", "AES128-GCM-16": "aes_gcm_16_128", "AES256-GCM-16": "aes_gcm_16_256"}
INTEGRITY = {"SHA1": "sha1", "SHA2-256": "sha2_256", "SHA2-384": "sha2_384", "SHA2-512": "sha2_512"}
DH_GROUPS = {
    5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144", 18: "modp8192",
    19: "dh19", 20: "dh20", 21: "dh21",
}
PREFERRED_PFS_GROUP = 14


def _values(options: Mapping[str, Any], key: str) -> list[Any]:
    return [item["Value"] for item in options.get(key) or []]


def _join(names: Iterable[str]) -> str:
    return "+".join(names)


def _phase(options: Mapping[str, Any], phase: int) -> tuple[list[str], list[str], list[str], list[int]]:
    encryption = _values(options, f"Phase{phase}EncryptionAlgorithms")
    plain = [ENCRYPTION[name] for name in encryption if name in ENCRYPTION and "GCM" not in name]
    aead = [ENCRYPTION[name] for name in encryption if name in ENCRYPTION and "GCM" in name]
    integrity = [INTEGRITY[name] for name in _values(options, f"Phase{phase}IntegrityAlgorithms") if name in INTEGRITY]
    groups = [int(group) for group in _values(options, f"Phase{phase}DHGroupNumbers") if int(group) in DH_GROUPS]
    return plain, aead, integrity, groups


def ike(options: Mapping[str, Any]) -> str:
    """The ``ike=`` value: every allowed cipher, integrity (PRF for AEAD) and DH group."""
    plain, aead, integrity, groups = _phase(options, 1)
    if not integrity or not groups or not (plain or aead):
        raise ValueError("the tunnel's phase 1 options leave no proposal Libreswan can accept")
    dh = _join(DH_GROUPS[group] for group in groups)
    parts = [f"{_join(ciphers)}-{_join(integrity)};{dh}" for ciphers in (plain, aead) if ciphers]
    return ",".join(parts)


def esp(options: Mapping[str, Any]) -> str:
    """The ``esp=`` value: every allowed cipher and integrity, with one PFS group."""
    plain, aead, integrity, groups = _phase(options, 2)
    if not groups or not (plain and integrity or aead):
        raise ValueError("the tunnel's phase 2 options leave no proposal Libreswan can accept")
    group = DH_GROUPS[PREFERRED_PFS_GROUP if PREFERRED_PFS_GROUP in groups else groups[0]]
    parts = []
    if plain and integrity:
        parts.append(f"{_join(plain)}-{_join(integrity)};{group}")
    if aead:
        parts.append(f"{_join(aead)};{group}")
    return ",".join(parts)


def ike_version(options: Mapping[str, Any]) -> int:
    """2 when the tunnel allows IKEv2 (a responder speaks one version), else 1."""
    versions = _values(options, "IkeVersions") or ["ikev1", "ikev2"]
    return 2 if "ikev2" in versions else 1
