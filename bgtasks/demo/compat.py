"""A stopgap for one gap of the embedded AWS that blocks every run, applied only when seen.

moto 5.2.1 evaluates a bucket policy's Deny statement as matching when its Condition cannot be
evaluated (`IAMPolicyStatement.is_action_permitted` returns DENIED when `_check_conditions`
fails for lack of request context). The runs bucket's `DenyInsecureTransport` statement
(`aws:SecureTransport = false`) therefore denies every request, TLS or not, and the metadata
function cannot write a single chunk. Real AWS and LocalStack evaluate the condition.

When (and only when) the runs bucket answers a harmless HEAD with 403, we delete that bucket's
policy on this local stack and say so. Once the embedded AWS evaluates the condition, the probe
answers 404 and this does nothing.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

PROBE_KEY = "runs/.bgtasks-access-probe"


def runs_bucket_denies_everything(s3: Any, bucket: str) -> bool:
    """True when a HEAD of a missing key is refused (403) instead of not found (404)."""
    try:
        s3.head_object(Bucket=bucket, Key=PROBE_KEY)
    except ClientError as error:
        return str(error.response.get("Error", {}).get("Code")) in ("403", "AccessDenied")
    return False


def relax_runs_bucket_policy(s3: Any, bucket: str) -> bool:
    """Delete the runs bucket's policy if the embedded AWS denies everything; True if deleted."""
    if not runs_bucket_denies_everything(s3, bucket):
        return False
    s3.delete_bucket_policy(Bucket=bucket)
    return True
