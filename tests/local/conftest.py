"""Fixtures for the embedded AWS tests: one server for the whole session."""

from __future__ import annotations

from bgtasks.local.testing import embedded_aws_fixture

embedded_aws = embedded_aws_fixture()
