"""Launch template data may carry a tag specification with no tags.

The AWS provider sends `TagSpecifications` entries for every `tag_specifications` block, also
when its `tags` map is empty; the query protocol then omits the entry's `Tags`. moto 5.2.1's
`LaunchTemplateVersion` reads `spec["Tags"]` for every entry and answers 500 (`KeyError:
'Tags'`), which the provider retries for more than ten minutes. AWS accepts such an entry: we
give it an empty tag list, so it is stored and described back as sent.
"""

from __future__ import annotations

from typing import Any

from bgtasks.local.shims.shape import (
    expect_function,
    expect_source_contains,
    is_patched,
    mark_patched,
)

NAME = "ec2_launch_template_empty_tags"


def apply() -> None:
    from moto.ec2.models.launch_templates import LaunchTemplateVersion

    if is_patched(LaunchTemplateVersion, "__init__"):
        return
    original = expect_function(
        LaunchTemplateVersion,
        "__init__",
        ["self", "template", "number", "data", "description"],
        NAME,
    )
    expect_source_contains(original, 'convert_tag_spec(data.get("TagSpecifications"', NAME)

    def __init__(
        self: Any, template: Any, number: int, data: dict[str, Any], description: str
    ) -> None:
        for spec in data.get("TagSpecifications") or []:
            if isinstance(spec, dict):
                spec.setdefault("Tags", [])
        original(self, template, number, data, description)

    LaunchTemplateVersion.__init__ = mark_patched(__init__, NAME)  # type: ignore[method-assign]
