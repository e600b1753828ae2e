# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""amazon.aws's error handlers for the collection's lookups, made in one place.

amazon.aws's ``AWSErrorHandler`` turns a botocore error into the module's own exception and lets
a list call answer its default when the resource is "missing"; what counts as missing differs
per API (a NotFound code, or CloudFormation's ValidationError saying "does not exist").
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler


def error_handler(exception, missing_code=None, missing_message=None):
    """An ``AWSErrorHandler`` raising ``exception``, taking ``missing_code`` (an error code) or
    ``missing_message`` (words of the error's message) to mean the resource does not exist."""

    def is_missing(cls):
        # amazon.aws's matchers read the exception being handled: made anew for each.
        return is_boto3_error_code(missing_code) if missing_code else is_boto3_error_message(missing_message)

    return type(
        f"{exception.__name__}Handler",
        (AWSErrorHandler,),
        {"_CUSTOM_EXCEPTION": exception, "_is_missing": classmethod(is_missing)},
    )
