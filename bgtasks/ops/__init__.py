"""Operator tooling: start, watch, inspect and resume runs (`bgtasks run|status|logs|redrive`).

Everything here talks to AWS through boto3's standard resolution (credentials, region, and
`AWS_ENDPOINT_URL`), so the same code serves real AWS and the embedded AWS alike.
"""
