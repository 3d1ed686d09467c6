"""Grading speed, as ratios measured in this one run (start-up: bench_startup.py; watch mode and
`grade --all`: bench_watch.py; a buggy grade: bench_diagnosis.py).

Each core kata's grade runs `dlprep grade KATA --file <reference>` end to end (the learner's
process included) and is compared with `python -c "import torch"` timed alternately with it,
so both see the same machine load; then the cost of isolation, `--isolation strict` against
`off`. Data goes to a temporary DLPREP_HOME.
"""

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from common import DLPREP, scratch_env, wall

from dlprep import paths
from dlprep.katas.catalog import load

REPEATS = 5
CORE_KATAS = ("attention", "lstm", "adam", "backprop")


def median_pair(first: list[str], second: list[str], env: dict[str, str]) -> tuple[float, float]:
    a, b = [], []
    for _ in range(REPEATS):
        a.append(wall(first, env))
        b.append(wall(second, env))
    return statistics.median(a), statistics.median(b)


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="dlprep-bench-"))
    env = scratch_env(scratch)
    try:
        for kata in map(load().get, CORE_KATAS):
            submission = scratch / f"{kata.id}.py"
            shutil.copyfile(paths.reference(kata.id), submission)
            torch_s, grade_s = median_pair(
                [sys.executable, "-c", "import torch"],
                [*DLPREP, "grade", kata.id, "--file", str(submission)],
                env,
            )
            print(f"dlprep grade {kata.id}: {grade_s:.2f} s = {grade_s / torch_s:.2f} x import torch ({torch_s:.2f} s) (target <= 1.5 x)")
        attention = scratch / "attention.py"
        for mode in ("strict", "off"):
            torch_s, grade_s = median_pair(
                [sys.executable, "-c", "import torch"],
                [*DLPREP, "grade", "attention", "--file", str(attention), "--device", "cpu", "--isolation", mode],
                env,
            )
            print(f"dlprep grade attention --isolation {mode}: {grade_s:.2f} s = {grade_s / torch_s:.2f} x import torch (target <= 1.5 x)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
