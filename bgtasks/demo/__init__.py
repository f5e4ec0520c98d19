"""`make demo` (via `bgtasks demo`): the whole pipeline on the embedded AWS, with live progress.

`seed` makes the demo tenants' data, `progress` draws the run's progress, `terraform` is the thin
wrapper that applies `envs/local`, `embedded` starts the embedded AWS when it is not running, and
`flow` ties them together in the order a new user meets them.
"""
