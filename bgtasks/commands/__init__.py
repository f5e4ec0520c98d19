"""CLI subcommands: every module here defines `register(subparsers)` (see docs/interfaces.md)."""
