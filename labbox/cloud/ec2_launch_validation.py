"""RunInstances refuses an image or an instance type that does not exist, as AWS does.

moto launches an instance from any ``ImageId`` and of any ``InstanceType`` unless told
otherwise, so a template or a variable naming a wrong or retired image, or a mistyped type,
built on the twin and failed only on AWS. moto's own checks are turned on: an unknown image is
``InvalidAMIID.NotFound``, a type not offered in the region ``InvalidInstanceType``. The images
it then knows are moto's bundled catalogue: every region has the current Amazon Linux 2023 and
Amazon Linux 2 images under their real names, descriptions and owner, and the public SSM
parameters ``/aws/service/ami-amazon-linux-latest/...`` resolve to them, as the lab's templates
ask for them.
"""

from __future__ import annotations

from moto import settings


def install() -> None:
    settings.ENABLE_AMI_VALIDATION = True
    settings.EC2_ENABLE_INSTANCE_TYPE_VALIDATION = True
