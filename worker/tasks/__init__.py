"""Tasks: one module per task, named as the task (`-` in a task name becomes `_`).

See `worker/registry.py` for what a task module defines.
"""
