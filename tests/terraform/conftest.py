"""One embedded AWS of its own (free port) for the Terraform tests that apply something."""

from __future__ import annotations

from bgtasks.local.testing import embedded_aws_fixture

embedded_aws = embedded_aws_fixture()
