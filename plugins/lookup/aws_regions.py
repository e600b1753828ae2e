# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lookup plugin: the AWS regions botocore knows, without calling AWS."""

from __future__ import annotations

DOCUMENTATION = r"""
name: aws_regions
author: hybridlab maintainers (!UNKNOWN)
version_added: 0.1.0
short_description: List the regions AWS offers a service in, from botocore's endpoint data
description:
  - Returns the names of the regions in which O(service) is offered, as botocore's bundled
    endpoint data lists them, across the C(aws), C(aws-cn) and C(aws-us-gov) partitions.
  - It makes no network call, so it can check a region name before anything talks to AWS.
options:
  service:
    description: The AWS service whose regions are listed.
    type: str
    default: ec2
requirements:
  - botocore
"""

EXAMPLES = r"""
- name: Refuse an unknown region before any AWS call
  ansible.builtin.assert:
    that: aws_region in lookup('hybridlab.aws.aws_regions')
    fail_msg: "aws_region {{ aws_region }} is not an AWS region"
"""

RETURN = r"""
_raw:
  description: Region names, sorted.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

try:
    import botocore.session
except ImportError:
    botocore = None

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def known_regions(service="ec2"):
    """Sorted names of the regions botocore's endpoint data lists for ``service``."""
    session = botocore.session.get_session()
    regions = set()
    for partition in PARTITIONS:
        regions.update(session.get_available_regions(service, partition_name=partition))
    return sorted(regions)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if botocore is None:
            raise AnsibleLookupError("hybridlab.aws.aws_regions needs botocore on the controller")
        self.set_options(var_options=variables, direct=kwargs)
        # One result, the list itself, so lookup() and query() both give the list.
        return [known_regions(self.get_option("service"))]
