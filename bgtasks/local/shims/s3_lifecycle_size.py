"""S3 lifecycle configurations read back as they were written.

moto 5.2.1 parses an `And` filter into prefix and tags only and drops the size bounds; the AWS
provider then reads back a different rule and waits three minutes before failing. We remember
the bounds per rule when the configuration is stored and add them back when it is read.
moto's PutBucketLifecycleConfiguration also omits the `x-amz-transition-default-minimum-object-
size` response header that its Get answers with, so the provider waits ~45 s for the two to
agree: we answer the header (the requested value, else AWS's default) and read back the same.
"""

from __future__ import annotations

from typing import Any

from bgtasks.local.shims.shape import expect_function, is_patched, mark_patched

NAME = "s3_lifecycle_size"
_SIZE_KEYS = ("ObjectSizeGreaterThan", "ObjectSizeLessThan")
_READ_ACTION = "GetBucketLifecycleConfiguration"
_MIN_SIZE_HEADER = "x-amz-transition-default-minimum-object-size"
_DEFAULT_MIN_SIZE = "all_storage_classes_128K"


def _and_sizes(rule: dict[str, Any]) -> dict[str, int]:
    and_filter = (rule.get("Filter") or {}).get("And") or {}
    return {key: int(and_filter[key]) for key in _SIZE_KEYS if and_filter.get(key) is not None}


def apply() -> None:
    from moto.core.responses import ActionResult
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response

    if is_patched(FakeBucket, "set_lifecycle"):
        return
    original_set = expect_function(FakeBucket, "set_lifecycle", ["self", "rules"], NAME)
    original_serialized = expect_function(S3Response, "serialized", ["self", "action_result"], NAME)
    expect_function(S3Response, "get_bucket_lifecycle", ["self"], NAME)
    original_put = expect_function(
        S3Response, "_bucket_response_put", ["self", "request", "bucket_name", "querystring"], NAME
    )

    def _bucket_response_put(
        self: Any, request: Any, bucket_name: str, querystring: dict[str, Any]
    ) -> Any:
        result = original_put(self, request, bucket_name, querystring)
        if "lifecycle" not in querystring or not isinstance(result, str):
            return result
        min_size = request.headers.get(_MIN_SIZE_HEADER) or _DEFAULT_MIN_SIZE
        self.backend.get_bucket(bucket_name).bgtasks_transition_min_size = min_size
        return 200, {_MIN_SIZE_HEADER: min_size}, result

    def set_lifecycle(self: Any, rules: list[dict[str, Any]]) -> None:
        sizes = [_and_sizes(rule) for rule in rules]
        original_set(self, rules)
        self.bgtasks_lifecycle_sizes = {
            rule.id: size for rule, size in zip(self.rules, sizes, strict=False) if size
        }

    def serialized(self: Any, action_result: Any) -> Any:
        if self.data.get("Action") == _READ_ACTION and isinstance(action_result.result, dict):
            bucket = self.backend.get_bucket(self.bucket_name)
            sizes_by_id: dict[str, dict[str, int]] = getattr(bucket, "bgtasks_lifecycle_sizes", {})
            for rule in action_result.result.get("Rules", []):
                sizes = sizes_by_id.get(rule.get("ID"))
                and_filter = (rule.get("Filter") or {}).get("And")
                if sizes and and_filter is not None:
                    and_filter.update(sizes)
            action_result.result["TransitionDefaultMinimumObjectSize"] = getattr(
                bucket, "bgtasks_transition_min_size", _DEFAULT_MIN_SIZE
            )
            action_result = ActionResult(action_result.result)
        return original_serialized(self, action_result)

    FakeBucket.set_lifecycle = mark_patched(set_lifecycle, NAME)  # type: ignore[method-assign]
    S3Response.serialized = mark_patched(serialized, NAME)  # type: ignore[method-assign]
    S3Response._bucket_response_put = mark_patched(  # type: ignore[method-assign]
        _bucket_response_put, NAME
    )
