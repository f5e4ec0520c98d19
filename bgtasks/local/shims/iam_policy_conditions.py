"""Policy statements apply only when their conditions hold, evaluated as AWS does.

moto 5.2.1 understands only `StringEquals` and treats every other condition operator as
satisfied, with no request context for bucket policies; so the usual `DenyInsecureTransport`
statement (`Deny` when `Bool aws:SecureTransport` is `false`) denies every request to the
bucket. We evaluate the common operators (String*, Bool, Null, Numeric*, Arn*, with `IfExists`
and `ForAnyValue:`/`ForAllValues:`) against the request context; a statement whose conditions
do not hold is not in effect (neither Allow nor Deny). The embedded AWS serves plain HTTP on
127.0.0.1 in place of AWS's HTTPS endpoints, so requests carry `aws:SecureTransport = true`.
An operator we do not know makes its statement not apply.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import Any

from bgtasks.local.shims.shape import expect_function, is_patched, mark_patched

NAME = "iam_policy_conditions"
LOCAL_REQUEST_CONTEXT = {"aws:securetransport": "true"}


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def check(actual: str, expected: str) -> bool:
        left, right = _number(actual), _number(expected)
        return left is not None and right is not None and compare(left, right)

    return check


_MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "stringequals": lambda actual, expected: actual == expected,
    "stringequalsignorecase": lambda actual, expected: actual.lower() == expected.lower(),
    "stringlike": lambda actual, expected: fnmatch.fnmatchcase(actual, expected),
    "bool": lambda actual, expected: actual.lower() == expected.lower(),
    "arnequals": lambda actual, expected: actual == expected,
    "arnlike": lambda actual, expected: fnmatch.fnmatchcase(actual, expected),
    "numericequals": _numeric(lambda a, b: a == b),
    "numericlessthan": _numeric(lambda a, b: a < b),
    "numericlessthanequals": _numeric(lambda a, b: a <= b),
    "numericgreaterthan": _numeric(lambda a, b: a > b),
    "numericgreaterthanequals": _numeric(lambda a, b: a >= b),
}
_NEGATED = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
    "numericnotequals": "numericequals",
}


def _values(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    return [str(item).lower() if isinstance(item, bool) else str(item) for item in items]


def condition_holds(operator: str, key: str, expected: Any, context: dict[str, Any]) -> bool:
    """One `operator: {key: expected}` entry against a context with lower-cased keys."""
    name = operator.lower()
    qualifier = ""
    for prefix in ("foranyvalue:", "forallvalues:"):
        if name.startswith(prefix):
            qualifier, name = prefix, name[len(prefix) :]
    if_exists = name.endswith("ifexists")
    name = name.removesuffix("ifexists")
    present = key.lower() in context
    if name == "null":
        return any((value.lower() == "true") == (not present) for value in _values(expected))
    if not present:
        return if_exists or qualifier == "forallvalues:"
    actual = _values(context[key.lower()])
    negated = name in _NEGATED
    matcher = _MATCHERS.get(_NEGATED.get(name, name))
    if matcher is None:
        raise KeyError(operator)
    wanted = _values(expected)

    def matches(value: str) -> bool:
        return any(matcher(value, option) for option in wanted)

    if qualifier == "forallvalues:":
        result = all(matches(value) for value in actual)
    else:
        result = any(matches(value) for value in actual)
    return not result if negated else result


def conditions_hold(conditions: dict[str, Any], context: dict[str, Any]) -> bool:
    """All entries of a statement's `Condition` block hold (unknown operator: they do not)."""
    lowered = {key.lower(): value for key, value in context.items()}
    try:
        return all(
            condition_holds(operator, key, expected, lowered)
            for operator, entries in conditions.items()
            for key, expected in entries.items()
        )
    except KeyError:
        return False


def apply() -> None:
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    if is_patched(IAMPolicyStatement, "is_action_permitted"):
        return
    original = expect_function(
        IAMPolicyStatement,
        "is_action_permitted",
        ["self", "action", "resource", "principal", "incoming_condition_values"],
        NAME,
    )
    expect_function(IAMPolicyStatement, "__init__", ["self", "statement"], NAME)

    def is_action_permitted(
        self: Any,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> Any:
        conditions = self._statement.get("Condition")
        if not conditions:
            return original(self, action, resource, principal, incoming_condition_values)
        context = {**LOCAL_REQUEST_CONTEXT, **(incoming_condition_values or {})}
        if not conditions_hold(conditions, context):
            return PermissionResult.NEUTRAL
        unconditional = IAMPolicyStatement(
            {key: value for key, value in self._statement.items() if key != "Condition"}
        )
        return original(unconditional, action, resource, principal, incoming_condition_values)

    IAMPolicyStatement.is_action_permitted = mark_patched(  # type: ignore[method-assign]
        is_action_permitted, NAME
    )
