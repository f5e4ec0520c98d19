"""Wall time of the demo's phases (setup, apply, seed, execution) and of executions alone.

Runs the whole demo against its own embedded AWS on a free port (never 4566, which belongs to
`make demo` / `make up`), then re-seeds and times two more executions of the same stack: the
execution alone, without setup or apply. A 6-chunk run should take seconds, not the minutes
AWS Batch needs to scale a compute environment up from zero.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

from bgtasks.demo.flow import DemoOptions, run_demo, seed_demo_tenants, watch
from bgtasks.demo.progress import ProgressPrinter
from bgtasks.demo.stack import StackOutputs, local_stack
from bgtasks.local.launcher import down
from bgtasks.local.server import free_port
from bgtasks.local.settings import Settings
from bgtasks.ops.aws import AwsSettings, make_clients
from bgtasks.ops.runs import RunRequest, start_run

REPEATS = 2


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bgtasks-bench-demo-") as state_dir:
        settings = Settings(port=free_port(), state_dir=Path(state_dir))
        try:
            result = run_demo(DemoOptions(settings=settings), io.StringIO())
            for name, seconds in result.phases.items():
                print(f"demo phase {name.split(' ')[0]:<10} {seconds:6.1f} s   ({name})")
            print(f"demo total            {result.wall:6.1f} s   {result.final_line()}")
            outputs = StackOutputs.from_terraform(
                local_stack(settings.endpoint, settings.state_dir / "demo").outputs()
            )
            clients = make_clients(AwsSettings(endpoint_url=settings.endpoint, local=True))
            for repeat in range(REPEATS):
                # A new edition of every image: new content, so every tenant has work again.
                seed_demo_tenants(clients, outputs, edition=f"bench {repeat} {time.time()}")
                began = time.monotonic()
                execution = start_run(clients.stepfunctions, RunRequest("thumbnails", outputs.env))
                last = watch(clients, execution.arn, ProgressPrinter(io.StringIO(), False), 600)
                took = time.monotonic() - began
                print(
                    f"execution alone #{repeat + 1}   {took:6.1f} s   "
                    f"{last.execution_status}, {last.size} chunks"
                )
        finally:
            down(settings)


if __name__ == "__main__":
    main()
