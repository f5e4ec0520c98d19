"""Settings the embedded AWS fixes once, before moto creates any resource.

Changing `stepfunctions.execute_state_machine` or `lambda.use_docker` after resources exist
switches moto to another backend store and the resources vanish, so they are set here, at
start, and never toggled later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566
DEFAULT_REGION = "us-east-1"
# Fake credentials handed to every local process (Lambda handlers, Batch jobs).
FAKE_ACCESS_KEY_ID = "testing"
FAKE_SECRET_ACCESS_KEY = "testing"
REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_STATE_DIR = REPO_ROOT / ".local"


@dataclass(frozen=True)
class Settings:
    """Where the embedded AWS listens and keeps its state."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    state_dir: Path = DEFAULT_STATE_DIR

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "embedded-aws.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "embedded-aws.log"

    @property
    def request_log(self) -> Path:
        return self.state_dir / "requests.jsonl"

    @property
    def transition_log(self) -> Path:
        return self.state_dir / "batch-transitions.jsonl"

    @property
    def lambda_cache(self) -> Path:
        return self.state_dir / "lambda-code"


def default_port() -> int:
    """The port from `BGTASKS_LOCAL_PORT`, else 4566."""
    raw = os.environ.get("BGTASKS_LOCAL_PORT", "")
    return int(raw) if raw.strip() else DEFAULT_PORT


def apply_moto_settings(settings: Settings) -> None:
    """Fix moto's process-wide settings for this server. Call before anything else of moto."""
    # moto's Step Functions interpreter calls other services at http://localhost:$MOTO_PORT.
    os.environ["MOTO_PORT"] = str(settings.port)
    # Without the AWS managed policies, attaching e.g. AWSBatchServiceRole fails with 404.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    os.environ.setdefault("AWS_DEFAULT_REGION", DEFAULT_REGION)
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    # Kept at moto's default (True): our local compute replaces the Docker code paths, and
    # flipping it later would move Lambda and Batch to another backend store.
    default_user_config["lambda"] = {"use_docker": True}
    default_user_config["batch"] = {"use_docker": True}
    default_user_config["iam"] = {"load_aws_managed_policies": True}


def local_process_env(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a process the embedded AWS runs (Lambda handler, Batch job)."""
    env = dict(base if base is not None else {})
    env["AWS_ENDPOINT_URL"] = settings.endpoint
    env["AWS_ACCESS_KEY_ID"] = FAKE_ACCESS_KEY_ID
    env["AWS_SECRET_ACCESS_KEY"] = FAKE_SECRET_ACCESS_KEY
    env.pop("AWS_SESSION_TOKEN", None)
    env.pop("AWS_PROFILE", None)
    env["AWS_DEFAULT_REGION"] = os.environ.get("AWS_DEFAULT_REGION", DEFAULT_REGION)
    env["AWS_REGION"] = env["AWS_DEFAULT_REGION"]
    return env
