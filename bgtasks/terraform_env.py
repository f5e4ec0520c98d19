"""The environment Terraform runs with in this project (same logic as `tf/env.sh`).

Terraform reads its CLI configuration from `TF_CLI_CONFIG_FILE`. On machines with the provider
filesystem mirror (`/opt/tf-plugins`) there is no registry, so we point Terraform at the mirror;
elsewhere an empty config lets it use the registry, and hides a missing config file named by
the surrounding environment.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MIRROR = Path("/opt/tf-plugins")


def cli_config_text(mirror: Path) -> str:
    """The CLI config for `mirror`, or an empty one when the mirror does not exist."""
    if not mirror.is_dir():
        return "# No provider mirror here: the registry is used.\n"
    return (
        f"# Providers come from the filesystem mirror at {mirror}.\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        '    include = ["registry.terraform.io/hashicorp/*"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["registry.terraform.io/hashicorp/*"]\n'
        "  }\n"
        "}\n"
    )


def write_cli_config(mirror: Path | None = None, path: Path | None = None) -> Path:
    """Write the project's Terraform CLI config and return its path."""
    mirror = mirror or Path(os.environ.get("BGTASKS_TF_MIRROR", str(DEFAULT_MIRROR)))
    path = path or REPO_ROOT / "tf" / "cli.tfrc"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = cli_config_text(mirror)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def terraform_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """A copy of `base` (default: os.environ) set up to run `terraform` in this project."""
    env = dict(os.environ if base is None else base)
    env["TF_CLI_CONFIG_FILE"] = str(write_cli_config())
    env["TF_IN_AUTOMATION"] = "1"
    env.setdefault("TF_INPUT", "0")
    return env


if __name__ == "__main__":
    print(write_cli_config())
