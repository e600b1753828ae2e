# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lookup plugin: where botocore would find AWS credentials, without asking the network."""

from __future__ import annotations

DOCUMENTATION = r"""
name: aws_credential_source
author: hybridlab maintainers (!UNKNOWN)
version_added: 0.1.0
short_description: Tell where AWS credentials would come from, or that there are none
description:
  - Runs botocore's credential chain (environment, shared credentials and config files,
    profiles, SSO and process credentials) and returns the name of the provider that has
    credentials, or an empty string when none has.
  - The instance metadata service and the container credential endpoint are left out, so the
    lookup never sends a packet; on an EC2 instance whose role should be used, set
    AWS_PROFILE or export the credentials instead.
options:
  profile:
    description: The profile to look in; by default the one botocore would use (AWS_PROFILE).
    type: str
requirements:
  - botocore
"""

EXAMPLES = r"""
- name: Refuse to start a real-AWS run without credentials
  ansible.builtin.assert:
    that: lookup('hybridlab.aws.aws_credential_source') | length > 0
    fail_msg: No AWS credentials found (AWS_PROFILE, AWS_ACCESS_KEY_ID or ~/.aws/credentials)
"""

RETURN = r"""
_raw:
  description: The provider's name (for example C(env) or C(shared-credentials-file)), or an empty string.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

try:
    import botocore.credentials
    import botocore.exceptions
    import botocore.session
except ImportError:
    botocore = None

# Providers that reach the network (IMDS on 169.254.169.254, the ECS/EKS container endpoint).
NETWORK_PROVIDERS = ("iam-role", "container-role")


def credential_source(profile=None):
    """The name of the provider that has credentials, or '' (network providers left out)."""
    session = botocore.session.Session(profile=profile)
    resolver = botocore.credentials.create_credential_resolver(session)
    for name in NETWORK_PROVIDERS:
        resolver.remove(name)
    credentials = resolver.load_credentials()
    return credentials.method if credentials is not None else ""


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if botocore is None:
            raise AnsibleLookupError("hybridlab.aws.aws_credential_source needs botocore on the controller")
        self.set_options(var_options=variables, direct=kwargs)
        try:
            return [credential_source(self.get_option("profile"))]
        except botocore.exceptions.ProfileNotFound as error:
            raise AnsibleLookupError(f"AWS profile problem: {error}") from error
