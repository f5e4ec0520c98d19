"""Skip rules: which tenants a run leaves out, and why (each reason is logged per tenant).

Two hook lists, checked in order, first match wins: rules that need only the tenant (run before
its inputs are listed, so a skipped tenant costs no S3 calls), and rules that need its listing.
Add a rule by appending a function to one of the lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from metadata_fn.state import LastSuccess
from metadata_fn.tasks import Listing
from metadata_fn.tenants import Tenant

DISABLED = "disabled"
EXCLUDED = "excluded by the event"
BUCKET_NOT_ALLOWED = "bucket not allowed"
UNREADABLE = "inputs unreadable"
NOTHING_TO_DO = "nothing to do"
UP_TO_DATE = "up to date"


@dataclass(frozen=True)
class RunRules:
    """What the rules need from the run: the event's exclusions and force flag, the buckets."""

    excluded: frozenset[str]
    allowed_buckets: frozenset[str] | None
    force: bool


TenantRule = Callable[[Tenant, RunRules], str | None]
ListingRule = Callable[[Listing, LastSuccess | None, RunRules], str | None]


def disabled(tenant: Tenant, rules: RunRules) -> str | None:
    return DISABLED if not tenant.enabled else None


def excluded(tenant: Tenant, rules: RunRules) -> str | None:
    return EXCLUDED if tenant.tenant_id in rules.excluded else None


def bucket_not_allowed(tenant: Tenant, rules: RunRules) -> str | None:
    allowed = rules.allowed_buckets
    return BUCKET_NOT_ALLOWED if allowed is not None and tenant.bucket not in allowed else None


def nothing_to_do(
    listing: Listing, last_success: LastSuccess | None, rules: RunRules
) -> str | None:
    return NOTHING_TO_DO if not listing.items else None


def up_to_date(listing: Listing, last_success: LastSuccess | None, rules: RunRules) -> str | None:
    """Skip when the last successful run already processed exactly these inputs.

    The record's fingerprint decides: an object uploaded late with an older time (S3 dates a
    multipart upload from its start) still changes it. A record without one falls back to
    times: the run's data must postdate the newest input, and as S3 times have whole seconds,
    an input changed in the same second as that run's data snapshot counts as new.
    """
    if rules.force or last_success is None:
        return None
    if last_success.inputs is not None:
        return UP_TO_DATE if last_success.inputs == listing.fingerprint else None
    if listing.newest is None:
        return None
    snapshot = last_success.data_as_of.replace(microsecond=0)
    return UP_TO_DATE if listing.newest < snapshot else None


TENANT_RULES: list[TenantRule] = [disabled, excluded, bucket_not_allowed]
LISTING_RULES: list[ListingRule] = [nothing_to_do, up_to_date]


def skip_tenant(tenant: Tenant, rules: RunRules) -> str | None:
    for rule in TENANT_RULES:
        reason = rule(tenant, rules)
        if reason:
            return reason
    return None


def skip_listing(listing: Listing, last_success: LastSuccess | None, rules: RunRules) -> str | None:
    for rule in LISTING_RULES:
        reason = rule(listing, last_success, rules)
        if reason:
            return reason
    return None
