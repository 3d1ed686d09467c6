"""What the benchmarks share; not a benchmark itself (`run.py` runs the bench_*.py scripts)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

DLPREP = [sys.executable, "-m", "dlprep"]


def scratch_env(scratch: Path, *, bytecode: bool = True) -> dict[str, str]:
    """The environment dlprep is timed in: its data and workspace in `scratch`, and its bytecode
    cached there too, as an installed dlprep has it (not in the checkout); `bytecode` False: never
    written, as some sandboxes set it, so that every module is compiled each run."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    env.update(DLPREP_HOME=str(scratch / "home"), DLPREP_WORKSPACE=str(scratch / "ws"))
    if bytecode:
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def wall(argv: list[str], env: dict[str, str], *, check: bool = False) -> float:
    """Seconds a command takes, its output discarded."""
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env, check=check)
    return time.perf_counter() - started


def quiz_first_card(env: dict[str, str]) -> float:
    """Seconds from launching `dlprep quiz` until its first question panel is on stdout."""
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


def timed_runs(runs: int, *measures: Callable[[], float]) -> list[list[float]]:
    """Each measure's `runs` times, after one warm-up run each (the file cache, bytecode); the
    measures take turns, so that all see the same machine load."""
    for measure in measures:
        measure()
    times: list[list[float]] = [[] for _ in measures]
    for _ in range(runs):
        for measure, taken in zip(measures, times):
            taken.append(measure())
    return times
