"""The validator's entry point: definition text in, problems out (empty list: valid)."""

from __future__ import annotations

from collections.abc import Mapping

from bgtasks.asl import schema, semantics
from bgtasks.asl.loading import DefinitionError, load_definition
from bgtasks.asl.problem import Problem


def validate_definition(text: str, variables: Mapping[str, str] | None = None) -> list[Problem]:
    """Check an ASL definition. Unfilled `${name}` placeholders are accepted as values.

    `variables` fills placeholders before checking (as Terraform's templatefile would). Problems
    come back sorted by pointer; an empty list means the definition is valid.
    """
    try:
        document = load_definition(text, variables)
    except DefinitionError as error:
        return [Problem("", str(error))]
    try:
        semantic = semantics.check(document.root)
        structural = schema.check(document.root)
    except RecursionError:
        # The checks recurse once per nesting level; json.loads stops near the same depth,
        # so only a caller already deep in its own stack gets here.
        return [Problem("", "definition is nested too deeply to check")]
    # Where both see a problem at one node, the semantic message is the more specific one.
    semantic_pointers = {problem.pointer for problem in semantic}
    found = set(document.duplicate_key_problems)
    found.update(p for p in structural if p.pointer not in semantic_pointers)
    found.update(semantic)
    return sorted(found)
