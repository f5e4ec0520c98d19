"""`envs/local` as the demo and the end-to-end tests apply it, and what its outputs mean here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgtasks.demo.terraform import Terraform
from bgtasks.local.settings import REPO_ROOT

LOCAL_ENV_DIR = REPO_ROOT / "envs" / "local"


def local_stack(
    endpoint: str, work_dir: Path, base_env: Mapping[str, str] | None = None
) -> Terraform:
    """The envs/local root module pointed at `endpoint`, with its data and state in `work_dir`."""
    return Terraform(
        working_dir=LOCAL_ENV_DIR,
        data_dir=work_dir / "terraform-data",
        state_file=work_dir / "terraform.tfstate",
        variables={"endpoint": endpoint},
        log_file=work_dir / "terraform.log",
        base_env=base_env,
    )


class StackOutputError(Exception):
    """envs/local did not output what the demo needs."""


@dataclass(frozen=True)
class StackOutputs:
    """The outputs of envs/local the demo and the tests use."""

    env: str
    endpoint: str
    runs_bucket: str
    tenant_manifest_uri: str
    tenant_bucket: str
    raw: dict[str, Any]

    @classmethod
    def from_terraform(cls, outputs: dict[str, Any]) -> StackOutputs:
        def need(name: str) -> Any:
            if name not in outputs:
                raise StackOutputError(f"envs/local has no output {name!r}")
            return outputs[name]

        return cls(
            env=str(outputs.get("env", "local")),
            endpoint=str(outputs.get("endpoint", "")),
            runs_bucket=str(need("runs_bucket")),
            tenant_manifest_uri=str(need("tenant_source")),
            tenant_bucket=str(need("tenant_bucket")),
            raw=outputs,
        )

    def tenant_location(self, tenant_id: str) -> tuple[str, str]:
        """Where a tenant's data lives: the tenant bucket, under `tenants/<id>/`."""
        return self.tenant_bucket, f"tenants/{tenant_id}/"
