"""Our ASL validator beside asl-validator (npm 4.0.0) on the shared corpus.

Figures: milliseconds per definition in-process (each tool's own runtime, a loop over the
whole corpus, the text parsed each time), milliseconds per CLI call (a process per file, on an
evenly spaced sample), the ratio, and each tool's verdicts against the corpus labels.
asl-validator is installed with npm into build/bench-node/ on first run.
"""

from __future__ import annotations

import csv
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bgtasks.asl import validate_definition

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "asl-corpus"
NODE_DIR = REPO / "build" / "bench-node"
PEER = "asl-validator"
PEER_VERSION = "4.0.0"
PEER_CLI = NODE_DIR / "node_modules" / PEER / "dist" / "bin" / "asl-validator.js"
ROUNDS = 3
PEER_ROUNDS = 2  # a round of asl-validator over the corpus takes about a minute
CLI_SAMPLE = 20

# Loops over the files named on stdin (one JSON array) inside one node process.
NODE_LOOP = r"""
const fs = require("fs");
const validator = require("asl-validator");
const { files, rounds } = JSON.parse(fs.readFileSync(0, "utf8"));
const texts = files.map((f) => fs.readFileSync(f, "utf8"));
function once() {
  return texts.map((text) => {
    try {
      return validator(JSON.parse(text)).isValid;
    } catch (e) {
      return false;
    }
  });
}
const times = [];
let verdicts = [];
for (let round = 0; round < rounds; round++) {
  const start = process.hrtime.bigint();
  verdicts = once();
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
process.stdout.write(JSON.stringify({ times_ms: times, verdicts: verdicts }));
"""


def corpus() -> list[tuple[Path, str]]:
    """(file, expected label) for the corpus, or our own state machines when it is absent."""
    labels = CORPUS / "labels.tsv"
    if not labels.is_file():
        return [(path, "valid") for path in sorted((REPO / "statemachines").glob("*.asl.json"))]
    with labels.open(encoding="utf-8", newline="") as handle:
        return [
            (CORPUS / row["file"], row["expected"])
            for row in csv.DictReader(handle, delimiter="\t")
        ]


def install_peer() -> bool:
    """Install asl-validator with npm into build/bench-node (once). False if npm is missing."""
    package = NODE_DIR / "node_modules" / PEER / "package.json"
    if package.is_file() and json.loads(package.read_text())["version"] == PEER_VERSION:
        return True
    if shutil.which("npm") is None or shutil.which("node") is None:
        return False
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    manifest = NODE_DIR / "package.json"
    if not manifest.exists():
        manifest.write_text('{"name": "bgtasks-bench-node", "private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", f"{PEER}@{PEER_VERSION}"],
        cwd=NODE_DIR,
        check=True,
        timeout=600,
    )
    return True


def ours_in_process(texts: list[str]) -> tuple[list[float], list[bool]]:
    times, verdicts = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        verdicts = [not validate_definition(text) for text in texts]
        times.append((time.perf_counter() - started) * 1000)
    return times, verdicts


def peer_in_process(files: list[Path]) -> tuple[list[float], list[bool]]:
    result = subprocess.run(
        ["node", "-e", NODE_LOOP],
        input=json.dumps({"files": [str(f) for f in files], "rounds": PEER_ROUNDS}),
        capture_output=True,
        text=True,
        cwd=NODE_DIR,
        check=True,
        timeout=1200,
    )
    figures = json.loads(result.stdout)
    return figures["times_ms"], figures["verdicts"]


def per_call_ms(command: list[str], files: list[Path]) -> float:
    """Mean wall time of one process per file."""
    times = []
    for path in files:
        started = time.perf_counter()
        subprocess.run([*command, str(path)], capture_output=True, timeout=120, check=False)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.mean(times)


def accuracy(name: str, cases: list[tuple[Path, str]], verdicts: list[bool]) -> None:
    invalid = [
        valid for (_, label), valid in zip(cases, verdicts, strict=True) if label == "invalid"
    ]
    real_world = [
        valid
        for (path, label), valid in zip(cases, verdicts, strict=True)
        if label == "valid" and path.name.startswith("rw-")
    ]
    caught = sum(1 for valid in invalid if not valid)
    rejected = sum(1 for valid in real_world if not valid)
    if invalid:
        print(
            f"{name:>14}: caught {caught}/{len(invalid)} invalid ({caught / len(invalid):.1%}), "
            f"rejected {rejected}/{len(real_world)} real-world valid"
        )


def main() -> None:
    cases = corpus()
    files = [path for path, _ in cases]
    texts = [path.read_text(encoding="utf-8") for path in files]
    count = len(files)
    print(
        f"corpus: {count} definitions ({CORPUS if (CORPUS / 'labels.tsv').is_file() else 'ours'})"
    )

    our_times, our_verdicts = ours_in_process(texts)
    ours_ms = min(our_times) / count
    print(f"in-process  bgtasks: {ours_ms:.3f} ms/definition (best of {ROUNDS}; first round "
          f"{our_times[0] / count:.3f})")  # fmt: skip
    sample = files[:: max(1, count // CLI_SAMPLE)][:CLI_SAMPLE]
    cli_call = per_call_ms([sys.executable, "-m", "bgtasks", "validate"], sample)
    print(f"per call    bgtasks validate: {cli_call:.0f} ms/call (mean of {len(sample)} processes;"
          " loads every subcommand)")  # fmt: skip
    ours_call = per_call_ms([sys.executable, "-m", "bgtasks.asl"], sample)
    print(f"per call    python -m bgtasks.asl: {ours_call:.0f} ms/call (the validator alone)")
    accuracy("bgtasks", cases, our_verdicts)

    try:
        available = install_peer()
    except (subprocess.SubprocessError, OSError) as error:
        print(f"{PEER}: could not install with npm ({error}); no comparison")
        return
    if not available:
        print(f"{PEER}: node/npm not found; no comparison")
        return
    peer_times, peer_verdicts = peer_in_process(files)
    peer_ms = min(peer_times) / count
    print(f"in-process  {PEER} {PEER_VERSION}: {peer_ms:.3f} ms/definition (best of {PEER_ROUNDS}; "
          f"first round {peer_times[0] / count:.3f})")  # fmt: skip
    peer_call = per_call_ms(["node", str(PEER_CLI), "--silent", "--json-path"], sample)
    print(f"per call    {PEER} {PEER_VERSION}: {peer_call:.0f} ms/call (mean of {len(sample)})")
    accuracy(PEER, cases, peer_verdicts)
    print(f"ratio in-process: {PEER} / bgtasks = {peer_ms / ours_ms:.1f}x")
    print(f"ratio per call:   {PEER} / bgtasks = {peer_call / ours_call:.1f}x (python -m "
          f"bgtasks.asl), {peer_call / cli_call:.1f}x (bgtasks validate)")  # fmt: skip


if __name__ == "__main__":
    main()
