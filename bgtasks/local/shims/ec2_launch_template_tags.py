"""Launch templates keep the request's `launch-template` tags out of the template data.

moto 5.2.1 copies the CreateLaunchTemplate request's tag specification (resource type
`launch-template`, the template's own tags) into the template data's `TagSpecifications`;
the AWS provider then sees a tag specification nobody configured: a perpetual diff.
"""

from __future__ import annotations

from typing import Any

from bgtasks.local.shims.shape import (
    expect_function,
    expect_source_contains,
    is_patched,
    mark_patched,
)

NAME = "ec2_launch_template_tags"
_OWN_RESOURCE_TYPE = "launch-template"


def apply() -> None:
    from moto.ec2.models.launch_templates import LaunchTemplateBackend
    from moto.ec2.responses.launch_templates import LaunchTemplates

    if is_patched(LaunchTemplateBackend, "create_launch_template"):
        return
    original = expect_function(
        LaunchTemplateBackend,
        "create_launch_template",
        ["self", "name", "description", "template_data", "tag_spec"],
        NAME,
    )
    expect_source_contains(
        LaunchTemplates.create_launch_template, 'parsed_template_data["TagSpecifications"]', NAME
    )

    def create_launch_template(
        self: Any,
        name: str,
        description: str,
        template_data: dict[str, Any],
        tag_spec: dict[str, Any],
    ) -> Any:
        specs = template_data.get("TagSpecifications")
        if isinstance(specs, list):
            kept = [s for s in specs if s.get("ResourceType") != _OWN_RESOURCE_TYPE]
            if kept:
                template_data["TagSpecifications"] = kept
            else:
                template_data.pop("TagSpecifications")
        return original(self, name, description, template_data, tag_spec)

    LaunchTemplateBackend.create_launch_template = mark_patched(  # type: ignore[method-assign]
        create_launch_template, NAME
    )
