"""RunInstances refuses an image that does not exist, as AWS does (``InvalidAMIID.NotFound``).

moto launches an instance from any ``ImageId`` unless told otherwise, so a template or a
variable naming a wrong or retired image built on the twin and failed only on AWS. moto's own
check is turned on. The images it then knows are moto's bundled catalogue: every region has the
current Amazon Linux 2023 and Amazon Linux 2 images under their real names, descriptions and
owner, and the public SSM parameters ``/aws/service/ami-amazon-linux-latest/...`` resolve to
them, as the lab's templates ask for them.
"""

from __future__ import annotations

from moto import settings


def install() -> None:
    settings.ENABLE_AMI_VALIDATION = True
