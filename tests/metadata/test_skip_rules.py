"""The skip rules on their own: order of the hooks, fingerprints before times, force."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from metadata_fn import skip
from metadata_fn.skip import RunRules, skip_listing, skip_tenant
from metadata_fn.state import LastSuccess
from metadata_fn.tasks import Listing
from metadata_fn.tenants import Tenant

NOW = datetime(2026, 5, 1, 12, 0, 30, 500_000, tzinfo=UTC)
RULES = RunRules(excluded=frozenset(), allowed_buckets=None, force=False)


def listing(fingerprint: str = "abc", newest: datetime | None = NOW) -> Listing:
    return Listing(["k1"], newest, fingerprint)


def test_tenant_rules_in_order_first_match_wins() -> None:
    rules = RunRules(frozenset({"t"}), frozenset({"allowed-bucket"}), False)
    assert skip_tenant(Tenant("t", "other-bucket", enabled=False), rules) == skip.DISABLED
    assert skip_tenant(Tenant("t", "other-bucket"), rules) == skip.EXCLUDED
    assert skip_tenant(Tenant("u", "other-bucket"), rules) == skip.BUCKET_NOT_ALLOWED
    assert skip_tenant(Tenant("u", "allowed-bucket"), rules) is None
    assert skip_tenant(Tenant("u", "any-bucket"), RULES) is None


def test_same_fingerprint_is_up_to_date_whatever_the_times() -> None:
    record = LastSuccess(NOW - timedelta(days=3), "abc")
    assert skip_listing(listing("abc", NOW), record, RULES) == skip.UP_TO_DATE
    assert skip_listing(listing("abd", NOW - timedelta(days=9)), record, RULES) is None


def test_without_a_fingerprint_times_decide_and_the_same_second_counts_as_new() -> None:
    record = LastSuccess(NOW, None)
    assert (
        skip_listing(listing(newest=NOW - timedelta(seconds=1)), record, RULES) == skip.UP_TO_DATE
    )
    assert skip_listing(listing(newest=NOW.replace(microsecond=0)), record, RULES) is None
    assert skip_listing(listing(newest=None), record, RULES) is None


def test_force_and_no_record_never_skip_but_nothing_to_do_always_does() -> None:
    forced = RunRules(frozenset(), None, True)
    assert skip_listing(listing(), LastSuccess(NOW, "abc"), forced) is None
    assert skip_listing(listing(), None, RULES) is None
    assert skip_listing(Listing([], None, ""), None, forced) == skip.NOTHING_TO_DO


def test_a_rule_hook_can_be_added(monkeypatch: object) -> None:
    def weekend_only(tenant: Tenant, rules: RunRules) -> str | None:
        return "weekends only" if tenant.parameters.get("weekends_only") else None

    hooks = [*skip.TENANT_RULES, weekend_only]
    import pytest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(skip, "TENANT_RULES", hooks)
        tenant = Tenant("w", "some-bucket", parameters={"weekends_only": True})
        assert skip_tenant(tenant, RULES) == "weekends only"
