"""RunInstances refuses a key pair that does not exist, as AWS does.

moto accepts any KeyName unless told otherwise, so a template naming a missing key pair
created its instances on the twin and failed only on AWS. The twin turns moto's own check on.
"""

from __future__ import annotations

from moto import settings


def install() -> None:
    settings.ENABLE_KEYPAIR_VALIDATION = True
