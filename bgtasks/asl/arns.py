"""Task `Resource` ARNs: well formed, or an unfilled `${name}` deployment placeholder."""

from __future__ import annotations

import re
from functools import lru_cache

from bgtasks.asl.loading import is_placeholder

# arn:partition:service:region:account-id:resource (region and account may be empty for
# service integrations, e.g. arn:aws:states:::lambda:invoke).
_ARN = re.compile(r"arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):"
                  r"([a-z0-9-]+):([a-z0-9-]*):(\d{12}|\d*):(.+)")  # fmt: skip
# Lambda: function:NAME[:QUALIFIER], QUALIFIER a version, an alias or $LATEST. Step Functions
# does not enforce Lambda's 64-character name limit when a definition is created, so neither
# do we (the whole ARN is limited to 140 characters).
_LAMBDA_RESOURCE = re.compile(r"function:[A-Za-z0-9_-]{1,140}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?")
_STATES_INTEGRATION = re.compile(r"[a-zA-Z0-9-]+:[a-zA-Z0-9_.:-]+")
_ACTIVITY = re.compile(r"activity:[A-Za-z0-9_.-]{1,80}")
# Inside an ARN, accept any deployment placeholder (Terraform `${name}`, CloudFormation
# `${AWS::Region}`): each stands for one ARN component.
_ANY_PLACEHOLDER = re.compile(r"\$\{[^${}]+\}")


@lru_cache(maxsize=1024)
def resource_error(resource: str) -> str | None:
    """None if `resource` is acceptable as a Task's Resource, else why not."""
    if is_placeholder(resource):
        return None
    # Placeholders inside an ARN (e.g. the region) stand for one ARN component each.
    text = _ANY_PLACEHOLDER.sub("x", resource)
    if "${" in text:
        return f"{resource!r}: malformed ${{...}} placeholder"
    match = _ARN.fullmatch(text)
    if not match:
        return f"{resource!r} is not a well-formed ARN (arn:partition:service:region:account:...)"
    service, rest = match.group(2), match.group(5)
    if service == "lambda" and not _LAMBDA_RESOURCE.fullmatch(rest):
        return f"{resource!r}: a Lambda ARN ends in function:NAME[:VERSION|ALIAS|$LATEST]"
    if service == "states":
        if rest.startswith("activity:"):
            if not _ACTIVITY.fullmatch(rest):
                return f"{resource!r}: malformed activity ARN"
        elif not _STATES_INTEGRATION.fullmatch(rest):
            return f"{resource!r}: a service integration ARN is arn:aws:states:::service:action"
    return None
