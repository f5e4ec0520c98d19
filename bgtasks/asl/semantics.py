"""Checks the schema cannot express: the state graph, query-language fields, paths, payload
templates, intrinsic functions, JSONata syntax, retry/catch rules, ranges and timestamps.

Every nested machine (Parallel branch, Map ItemProcessor/Iterator) gets the same checks, with
its own scope for transitions; state names must be unique across the whole definition.
The checks skip nodes whose shape is wrong: the schema reports those.
"""

from __future__ import annotations

from typing import Any

from bgtasks.asl import arns, graph, jsonata_check, paths
from bgtasks.asl.loading import is_placeholder
from bgtasks.asl.problem import Problem, pointer_join
from bgtasks.asl.timestamps import is_rfc3339

JSONPATH = "JSONPath"
JSONATA = "JSONata"
MAX_STATE_NAME = 80

# Fields only a JSONPath state may have, and only a JSONata state may have (AWS docs,
# "Transforming data with JSONata": JSONPath fields are not allowed in JSONata states).
JSONPATH_ONLY = (
    "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "ItemsPath",
    "Iterator", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
    "ErrorPath", "CausePath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
)  # fmt: skip
JSONATA_ONLY = ("Arguments", "Output", "Items")
# Integer fields that a JSONata state may give as an expression instead.
NUMERIC_FIELDS = (
    "TimeoutSeconds", "HeartbeatSeconds", "Seconds", "MaxConcurrency",
    "ToleratedFailurePercentage", "ToleratedFailureCount",
)  # fmt: skip
# Reference-path fields of a state (JSONPath).
REFERENCE_FIELDS = (
    "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
    "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
)  # fmt: skip
COMPARISON_OPERATORS = frozenset(
    [f"{kind}{op}{suffix}"
     for kind in ("String", "Numeric", "Timestamp")
     for op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
     for suffix in ("", "Path")]
    + ["StringMatches", "BooleanEquals", "BooleanEqualsPath", "IsNull", "IsPresent",
       "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]
)  # fmt: skip
_STATES_ALL = "States.ALL"
MAX_VARIABLE_NAME = 80


def _is_variable_name(name: str) -> bool:
    """AWS: variable names are Unicode identifiers (UAX #31), at most 80 characters."""
    return name.isidentifier() and len(name) <= MAX_VARIABLE_NAME


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.state_names: dict[str, str] = {}  # name -> pointer of its first definition

    def report(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(pointer, message))

    # --- machines and the state graph --------------------------------------------------------
    def machine(self, machine: Any, pointer: str, language: str) -> None:
        if not isinstance(machine, dict):
            return
        states = machine.get("States")
        if not isinstance(states, dict):
            return
        own = machine.get("QueryLanguage")
        if own in (JSONPATH, JSONATA):
            language = own
        start = machine.get("StartAt")
        if isinstance(start, str) and start not in states:
            self.report(pointer_join(pointer, "StartAt"), f"StartAt names no state: {start!r}")
        edges: dict[str, list[str]] = {}
        # States with a transition to nowhere (reported): where they lead is unknown, so they
        # count as finishing rather than causing a second, derived problem.
        dangling: set[str] = set()
        for name, state in states.items():
            state_pointer = pointer_join(pointer, "States", name)
            if name in self.state_names:
                self.report(
                    state_pointer,
                    f"state name {name!r} is used twice (also at {self.state_names[name]}); "
                    "names must be unique across the whole definition",
                )
            else:
                self.state_names[name] = state_pointer
            if len(name) > MAX_STATE_NAME:
                self.report(state_pointer, f"state name is over {MAX_STATE_NAME} characters")
            if not isinstance(state, dict):
                continue
            edges[name], has_dangling = self._transitions(state, states, state_pointer)
            if has_dangling:
                dangling.add(name)
            self.state(state, state_pointer, language)
        if isinstance(start, str) and start in states:
            self.problems.extend(graph.check(states, edges, dangling, start, pointer))

    def _transitions(
        self, state: dict[str, Any], states: dict[str, Any], pointer: str
    ) -> tuple[list[str], bool]:
        """Targets of a state's transitions, and whether one names no state in scope (reported)."""
        targets: list[tuple[str, Any]] = [
            (pointer_join(pointer, "Next"), state.get("Next")),
            (pointer_join(pointer, "Default"), state.get("Default")),
        ]
        for field in ("Choices", "Catch"):
            rules = state.get(field)
            if isinstance(rules, list):
                for index, rule in enumerate(rules):
                    if isinstance(rule, dict):
                        targets.append(
                            (pointer_join(pointer, field, index, "Next"), rule.get("Next"))
                        )
        found: list[str] = []
        has_dangling = False
        for target_pointer, target in targets:
            if not isinstance(target, str):
                continue
            if target in states:
                found.append(target)
            else:
                has_dangling = True
                self.report(
                    target_pointer, f"transition to a state that does not exist here: {target!r}"
                )
        return found, has_dangling

    # --- one state ---------------------------------------------------------------------------
    def state(self, state: dict[str, Any], pointer: str, language: str) -> None:
        own = state.get("QueryLanguage")
        if own in (JSONPATH, JSONATA):
            # A state may set its own query language (either way); it holds for that state
            # and for the machines nested in it.
            language = own
        kind = state.get("Type")
        at = lambda *tokens: pointer_join(pointer, *tokens)  # noqa: E731
        forbidden = JSONATA_ONLY if language == JSONPATH else JSONPATH_ONLY
        for field in forbidden:
            if field in state:
                self.report(at(field), f"{field} is not allowed in a {language} state")
        if language == JSONPATH:
            self._jsonpath_fields(state, pointer)
        else:
            self._jsonata_fields(state, pointer)
        for field in NUMERIC_FIELDS:
            value = state.get(field)
            if isinstance(value, str) and not is_placeholder(value) and language == JSONPATH:
                self.report(at(field), f"{field} must be a number in a JSONPath state")
        if kind == "Task":
            self._task(state, pointer)
        elif kind == "Choice":
            self._choice(state, pointer, language)
        elif kind == "Wait":
            timestamp = state.get("Timestamp")
            if language == JSONPATH and isinstance(timestamp, str) and not is_rfc3339(timestamp):
                self.report(at("Timestamp"), f"not an RFC 3339 timestamp: {timestamp!r}")
        elif kind == "Parallel":
            branches = state.get("Branches")
            if isinstance(branches, list):
                for index, branch in enumerate(branches):
                    self.machine(branch, at("Branches", index), language)
        elif kind == "Map":
            self._map(state, pointer, language)
        for field in ("Retry", "Catch"):
            self._error_rules(state.get(field), at(field))
        catchers = state.get("Catch")
        for index, catcher in enumerate(catchers if isinstance(catchers, list) else []):
            if isinstance(catcher, dict):
                self._catcher(catcher, at("Catch", index), language)

    def _jsonpath_fields(self, state: dict[str, Any], pointer: str) -> None:
        at = lambda *tokens: pointer_join(pointer, *tokens)  # noqa: E731
        for field in ("InputPath", "OutputPath"):
            self._path(state.get(field), at(field), paths.PATH)
        self._path(state.get("ResultPath"), at("ResultPath"), paths.RESULT_PATH)
        for field in REFERENCE_FIELDS:
            self._path(state.get(field), at(field), paths.REFERENCE_PATH)
        for field in ("ErrorPath", "CausePath"):
            value = state.get(field)
            if isinstance(value, str):
                error = paths.path_or_intrinsic_error(value)
                if error:
                    self.report(at(field), error)
        for field in ("Parameters", "ResultSelector", "ItemSelector", "Credentials"):
            if field in state:
                self._payload_template(state[field], at(field))
        if "Assign" in state:
            self._assign(state["Assign"], at("Assign"))

    def _jsonata_fields(self, state: dict[str, Any], pointer: str) -> None:
        for field, value in state.items():
            if field in ("Branches", "ItemProcessor", "Iterator", "Choices", "Catch", "Retry"):
                continue
            self._jsonata_values(value, pointer_join(pointer, field))

    def _jsonata_values(self, value: Any, pointer: str) -> None:
        """Every `{% %}` string inside `value` must parse as JSONata."""
        if isinstance(value, str):
            if jsonata_check.is_expression(value):
                error = jsonata_check.expression_error(value)
                if error:
                    self.report(pointer, error)
        elif isinstance(value, dict):
            for key, item in value.items():
                self._jsonata_values(item, pointer_join(pointer, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._jsonata_values(item, pointer_join(pointer, index))

    def _path(self, value: Any, pointer: str, rules: paths.PathRules) -> None:
        if isinstance(value, str) and not is_placeholder(value):
            error = paths.path_error(value, rules)
            if error:
                self.report(pointer, error)

    # --- payload templates -------------------------------------------------------------------
    def _payload_template(self, template: Any, pointer: str) -> None:
        """`.$` keys hold a path or an intrinsic call; no key twice once `.$` is stripped."""
        if isinstance(template, list):
            for index, item in enumerate(template):
                self._payload_template(item, pointer_join(pointer, index))
            return
        if not isinstance(template, dict):
            return
        seen: set[str] = set()
        for key, value in template.items():
            key_pointer = pointer_join(pointer, key)
            bare = key[:-2] if key.endswith(".$") else key
            if bare in seen:
                self.report(key_pointer, f"field {bare!r} is given twice (with and without .$)")
            seen.add(bare)
            if key.endswith(".$"):
                if not isinstance(value, str):
                    self.report(
                        key_pointer, "a field ending in .$ must hold a path or intrinsic function"
                    )
                elif not is_placeholder(value):
                    error = paths.path_or_intrinsic_error(value)
                    if error:
                        self.report(key_pointer, error)
            else:
                self._payload_template(value, key_pointer)

    def _assign(self, assign: Any, pointer: str) -> None:
        if not isinstance(assign, dict):
            self.report(pointer, "Assign must be an object")
            return
        for key in assign:
            name = key[:-2] if key.endswith(".$") else key
            if not _is_variable_name(name):
                self.report(pointer_join(pointer, key), f"not a valid variable name: {name!r}")
        self._payload_template(assign, pointer)

    # --- state types -------------------------------------------------------------------------
    def _task(self, state: dict[str, Any], pointer: str) -> None:
        resource = state.get("Resource")
        if isinstance(resource, str):
            error = arns.resource_error(resource)
            if error:
                self.report(pointer_join(pointer, "Resource"), error)
        timeout, heartbeat = state.get("TimeoutSeconds"), state.get("HeartbeatSeconds")
        if (
            isinstance(timeout, int)
            and isinstance(heartbeat, int)
            and not isinstance(timeout, bool)
            and heartbeat >= timeout
        ):
            self.report(
                pointer_join(pointer, "HeartbeatSeconds"),
                "HeartbeatSeconds must be less than TimeoutSeconds",
            )

    def _choice(self, state: dict[str, Any], pointer: str, language: str) -> None:
        choices = state.get("Choices")
        if not isinstance(choices, list):
            return
        for index, rule in enumerate(choices):
            rule_pointer = pointer_join(pointer, "Choices", index)
            if not isinstance(rule, dict):
                continue
            if language == JSONATA:
                for field in rule:
                    if (
                        field == "Variable"
                        or field in COMPARISON_OPERATORS
                        or field in ("And", "Or", "Not")
                    ):
                        self.report(
                            pointer_join(rule_pointer, field),
                            f"{field} is not allowed in a JSONata Choice rule; use Condition",
                        )
                condition = rule.get("Condition")
                if "Condition" not in rule:
                    self.report(rule_pointer, "a JSONata Choice rule needs a Condition")
                elif isinstance(condition, str) and not jsonata_check.is_expression(condition):
                    self.report(
                        pointer_join(rule_pointer, "Condition"),
                        "Condition must be a JSONata expression in {% %} (or true/false)",
                    )
                self._jsonata_values(rule, rule_pointer)
            else:
                for field in ("Condition", "Output"):
                    if field in rule:
                        self.report(
                            pointer_join(rule_pointer, field),
                            f"{field} is not allowed in a JSONPath Choice rule",
                        )
                self._choice_rule(rule, rule_pointer)
                if "Assign" in rule:
                    self._assign(rule["Assign"], pointer_join(rule_pointer, "Assign"))

    def _choice_rule(self, rule: dict[str, Any], pointer: str) -> None:
        operators = [field for field in rule if field in COMPARISON_OPERATORS]
        combinators = [field for field in rule if field in ("And", "Or", "Not")]
        if combinators:
            if len(combinators) > 1 or operators or "Variable" in rule:
                self.report(
                    pointer,
                    "a boolean rule has exactly one of And, Or, Not and no Variable or comparison",
                )
            for field in combinators:
                nested = rule[field]
                items = nested if isinstance(nested, list) else [nested]
                for index, item in enumerate(items):
                    item_pointer = (
                        pointer_join(pointer, field, index)
                        if isinstance(nested, list)
                        else pointer_join(pointer, field)
                    )
                    if isinstance(item, dict):
                        if "Next" in item:
                            self.report(
                                pointer_join(item_pointer, "Next"),
                                "only a top-level Choice rule may have Next",
                            )
                        self._choice_rule(item, item_pointer)
            return
        if len(operators) != 1:
            self.report(
                pointer, "a Choice rule needs exactly one comparison operator (or And/Or/Not)"
            )
        if "Variable" not in rule:
            self.report(pointer, "a comparison needs a Variable")
        else:
            self._path(rule["Variable"], pointer_join(pointer, "Variable"), paths.REFERENCE_PATH)
        for operator in operators:
            value = rule[operator]
            operator_pointer = pointer_join(pointer, operator)
            if operator.endswith("Path"):
                self._path(value, operator_pointer, paths.REFERENCE_PATH)
            elif (
                operator.startswith("Timestamp")
                and isinstance(value, str)
                and not is_rfc3339(value)
            ):
                self.report(operator_pointer, f"not an RFC 3339 timestamp: {value!r}")
            elif operator.startswith("Is") and value is not True and value is not False:
                self.report(operator_pointer, f"{operator} takes true or false")

    def _map(self, state: dict[str, Any], pointer: str, language: str) -> None:
        at = lambda *tokens: pointer_join(pointer, *tokens)  # noqa: E731
        for field in ("ItemProcessor", "Iterator"):
            if field in state:
                self.machine(state[field], at(field), language)
        items = state.get("Items")
        if isinstance(items, str) and not jsonata_check.is_expression(items):
            self.report(at("Items"), "Items must be an array or a JSONata expression in {% %}")
        if language == JSONATA:
            for part in ("ItemReader", "ResultWriter"):
                section = state.get(part)
                if isinstance(section, dict) and "Parameters" in section:
                    self.report(
                        at(part, "Parameters"),
                        "Parameters is not allowed in a JSONata state (use Arguments)",
                    )
        if language == JSONPATH:
            for part in ("ItemReader", "ResultWriter"):
                section = state.get(part)
                if isinstance(section, dict):
                    if "Arguments" in section:
                        self.report(
                            at(part, "Arguments"), "Arguments is not allowed in a JSONPath state"
                        )
                    if "Parameters" in section:
                        self._payload_template(section["Parameters"], at(part, "Parameters"))
                    reader = section.get("ReaderConfig")
                    if isinstance(reader, dict):
                        self._path(
                            reader.get("MaxItemsPath"),
                            at(part, "ReaderConfig", "MaxItemsPath"),
                            paths.REFERENCE_PATH,
                        )
            batcher = state.get("ItemBatcher")
            if isinstance(batcher, dict):
                for field in ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"):
                    self._path(batcher.get(field), at("ItemBatcher", field), paths.REFERENCE_PATH)
                if "BatchInput" in batcher:
                    self._payload_template(batcher["BatchInput"], at("ItemBatcher", "BatchInput"))
        for part in ("ItemReader", "ResultWriter"):
            section = state.get(part)
            if isinstance(section, dict) and isinstance(section.get("Resource"), str):
                error = arns.resource_error(section["Resource"])
                if error:
                    self.report(at(part, "Resource"), error)

    # --- Retry and Catch ---------------------------------------------------------------------
    def _error_rules(self, rules: Any, pointer: str) -> None:
        """`States.ALL` must be alone in its ErrorEquals and in the last rule."""
        if not isinstance(rules, list):
            return
        for index, rule in enumerate(rules):
            if not isinstance(rule, dict):
                continue
            errors = rule.get("ErrorEquals")
            if not isinstance(errors, list) or _STATES_ALL not in errors:
                continue
            errors_pointer = pointer_join(pointer, index, "ErrorEquals")
            if len(errors) > 1:
                self.report(
                    errors_pointer, "States.ALL must be the only error name in its ErrorEquals"
                )
            if index != len(rules) - 1:
                self.report(errors_pointer, "a rule with States.ALL must be the last one")

    def _catcher(self, catcher: dict[str, Any], pointer: str, language: str) -> None:
        if language == JSONPATH:
            self._path(
                catcher.get("ResultPath"), pointer_join(pointer, "ResultPath"), paths.RESULT_PATH
            )
            if "Output" in catcher:
                self.report(
                    pointer_join(pointer, "Output"), "Output is not allowed in a JSONPath state"
                )
            if "Assign" in catcher:
                self._assign(catcher["Assign"], pointer_join(pointer, "Assign"))
        else:
            if "ResultPath" in catcher:
                self.report(
                    pointer_join(pointer, "ResultPath"),
                    "ResultPath is not allowed in a JSONata state",
                )
            self._jsonata_values(catcher, pointer)


def check(root: dict[str, Any]) -> list[Problem]:
    """Semantic problems of a definition."""
    checker = _Checker()
    language = root.get("QueryLanguage")
    checker.machine(root, "", language if language in (JSONPATH, JSONATA) else JSONPATH)
    return checker.problems
