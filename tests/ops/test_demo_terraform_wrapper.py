"""The thin terraform wrapper, run for real on a root module with no provider."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtasks.demo.terraform import Terraform, TerraformError

ROOT_MODULE = """
variable "greeting" {
  type        = string
  description = "What to say."
}

resource "terraform_data" "note" {
  input = var.greeting
}

output "greeting" {
  value       = terraform_data.note.output
  description = "What was said."
}
"""


def test_init_apply_outputs_destroy_with_a_separate_state(tmp_path: Path) -> None:
    module = tmp_path / "root"
    module.mkdir()
    (module / "main.tf").write_text(ROOT_MODULE)
    state = tmp_path / "state" / "stack.tfstate"
    stack = Terraform(module, tmp_path / "data", state, {"greeting": "hello"})

    stack.init()
    stack.apply()
    assert stack.outputs() == {"greeting": "hello"}
    assert state.exists() and not (module / "terraform.tfstate").exists()
    assert not (module / ".terraform").exists()  # the data dir is ours, not the module's

    stack.destroy()
    assert stack.outputs() == {}


def test_a_failing_command_raises_with_terraforms_message(tmp_path: Path) -> None:
    module = tmp_path / "root"
    module.mkdir()
    (module / "main.tf").write_text(ROOT_MODULE)
    stack = Terraform(module, tmp_path / "data", tmp_path / "s.tfstate", {})
    stack.init()

    with pytest.raises(TerraformError, match=r"(?s)apply failed.*greeting"):
        stack.apply()
