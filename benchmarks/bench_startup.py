"""Start-up of the light commands, as ratios to `python -c "import typer, rich"` measured in this run.

Each command is timed alternately with the baseline, so both see the same machine load; the median
of the runs is reported. `dlprep quiz` is timed until its first question is on stdout (here only:
bench_cards.py times it without bytecode caching). Data goes to
a temporary DLPREP_HOME; bytecode is cached (outside the checkout) as an installed dlprep has it.
Target: every ratio <= 2.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from common import DLPREP, quiz_first_card, scratch_env, timed_runs, wall

RUNS = 21
TARGET = 2.0
BASELINE = [sys.executable, "-c", "import typer, rich"]


def ratio(measure, env: dict[str, str]) -> tuple[float, float]:
    """Median seconds of `measure` and of the baseline, timed alternately after one warm-up each."""
    ours, base = timed_runs(RUNS, lambda: measure(env), lambda: wall(BASELINE, env, check=True))
    return statistics.median(ours), statistics.median(base)


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="dlprep-bench-"))
    env = scratch_env(scratch)
    commands = {
        "dlprep --help": lambda e: wall([*DLPREP, "--help"], e, check=True),
        "dlprep list": lambda e: wall([*DLPREP, "list"], e, check=True),
        "dlprep quiz, first card": quiz_first_card,
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
