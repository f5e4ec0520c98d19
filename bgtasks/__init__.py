"""bgtasks: per-tenant background tasks on AWS Batch and Step Functions, and their local twin."""

__version__ = "0.1.0"
