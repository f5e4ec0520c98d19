"""The embedded AWS: moto's server with our settings, compatibility shims and local compute.

One module per concern: `settings` (fixed at start), `requestlog`, `server` (the WSGI app and
`EmbeddedAws` for tests and the demo), `launcher` (pid file, detach, status, stop), `shims/`
(one module per moto gap, DESIGN.md §5), `lambda_compute`, `batch_compute`, `schedules`.
"""
