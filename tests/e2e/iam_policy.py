"""A small evaluator of identity policies, for asserting what a role may and may not do.

Enough for least-privilege checks: Allow/Deny, Action/NotAction and Resource with `*`/`?`
wildcards. A statement with a Condition never grants here (we cannot know the request context),
so a check that something is allowed only passes on unconditional grants.
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import unquote


def role_policies(iam: Any, role_name: str) -> list[dict[str, Any]]:
    """Every policy document of the role: inline and attached managed ones."""
    documents = []
    for name in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"]
        documents.append(_as_document(document))
    for attached in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]:
        policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
        version = iam.get_policy_version(
            PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"]
        )["PolicyVersion"]
        documents.append(_as_document(version["Document"]))
    return documents


def allowed(documents: list[dict[str, Any]], action: str, resource: str) -> bool:
    """True when some unconditional Allow matches and no Deny does."""
    granted = False
    for document in documents:
        for statement in _statements(document):
            if not _matches(statement, action, resource):
                continue
            if statement.get("Effect") == "Deny":
                return False
            if "Condition" not in statement:
                granted = True
    return granted


def _as_document(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        raw = json.loads(unquote(raw))
    return dict(raw)


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    if "NotAction" in statement:
        action_ok = not any(_like(action, p) for p in _listed(statement["NotAction"]))
    else:
        action_ok = any(_like(action, p) for p in _listed(statement.get("Action")))
    resource_ok = any(fnmatchcase(resource, p) for p in _listed(statement.get("Resource", "*")))
    return action_ok and resource_ok


def _like(action: str, pattern: str) -> bool:
    return fnmatchcase(action.lower(), pattern.lower())
