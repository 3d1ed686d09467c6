"""Start-up of the light commands, as ratios to `python -c "import typer, rich"` measured in this run.

Each command is timed alternately with the baseline, so both see the same machine load; the median
of the runs is reported. `dlprep quiz` is timed until its first question is on stdout. Data goes to
a temporary DLPREP_HOME; bytecode is cached (outside the checkout) as an installed dlprep has it.
Target: every ratio <= 2.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 21
TARGET = 2.0
BASELINE = [sys.executable, "-c", "import typer, rich"]
DLPREP = [sys.executable, "-m", "dlprep"]


def wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - started


def first_card(env: dict[str, str]) -> float:
    """Seconds from launch until `dlprep quiz` has written its first question panel."""
    started = time.perf_counter()
    # No input: the first card shows, then the session ends without rating anything.
    process = subprocess.Popen([*DLPREP, "quiz"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    seen = b""
    while "╯".encode() not in seen:  # the bottom corner of the first question's panel
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            raise RuntimeError(f"dlprep quiz ended before its first card:\n{seen.decode()}")
        seen += chunk
    elapsed = time.perf_counter() - started
    process.wait(timeout=30)
    return elapsed


def ratio(measure, env: dict[str, str]) -> tuple[float, float]:
    """Median seconds of `measure` and of the baseline, timed alternately after one warm-up each."""
    measure(env), wall(BASELINE, env)
    ours, base = [], []
    for _ in range(RUNS):
        ours.append(measure(env))
        base.append(wall(BASELINE, env))
    return statistics.median(ours), statistics.median(base)


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="dlprep-bench-"))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(DLPREP_HOME=str(scratch / "home"), DLPREP_WORKSPACE=str(scratch / "ws"), PYTHONPYCACHEPREFIX=str(scratch / "pycache"))
    commands = {
        "dlprep --help": lambda e: wall([*DLPREP, "--help"], e),
        "dlprep list": lambda e: wall([*DLPREP, "list"], e),
        "dlprep quiz, first card": first_card,
    }
    worst = 0.0
    try:
        for name, measure in commands.items():
            ours, base = ratio(measure, env)
            worst = max(worst, ours / base)
            print(f"{name}: {ours:.3f} s = {ours / base:.2f} x import typer, rich ({base:.3f} s) (target <= {TARGET:g} x)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
