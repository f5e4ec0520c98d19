"""Worker test fixtures (helpers live in worker_fixtures.py)."""

from worker_fixtures import aws_credentials, moto_endpoint, s3

__all__ = ["aws_credentials", "moto_endpoint", "s3"]
