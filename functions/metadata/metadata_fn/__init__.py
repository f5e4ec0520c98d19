"""The metadata Lambda: lists tenants, plans balanced chunks, writes them to S3, summarises runs."""
