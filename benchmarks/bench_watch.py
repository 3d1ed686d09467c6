"""Watch mode and the warm grader: re-grade latency and `grade --all`, as ratios measured in this run.

- Re-grade latency: `dlprep watch KATA` runs piped on a copy of the reference; the file is saved
  (a plain overwrite, then an editor-style write-and-rename), and the time from the save to the
  verdict line on dlprep's output is taken, for each core kata.
- `dlprep grade --all` over every reference, beside `python -c "import torch"` and a cold
  `dlprep grade attention`, timed alternately.
"""

import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DLPREP, scratch_env, wall

from dlprep import paths
from dlprep.katas.catalog import load

CORE_KATAS = ("attention", "lstm", "adam", "backprop")
SAVES = 6


def _verdict_after(process: subprocess.Popen, started: float, marker: bytes, limit: float = 30.0) -> float:
    """Seconds from `started` until dlprep has printed a whole result (it ends with `marker`)."""
    buffer = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if not ready:
            continue
        buffer += os.read(process.stdout.fileno(), 65536)
        if marker in buffer:
            return time.perf_counter() - started
    raise TimeoutError("no verdict came")


def regrade_latency(kata_id: str, scratch: Path, env: dict[str, str]) -> float:
    file = scratch / f"{kata_id}.py"
    source = paths.reference(kata_id).read_text()
    file.write_text(source)
    process = subprocess.Popen([*DLPREP, "watch", kata_id, "--file", str(file), "--device", "cpu"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        _verdict_after(process, time.perf_counter(), b"passed", limit=60)
        times = []
        for save in range(SAVES):
            time.sleep(0.3)
            started = time.perf_counter()
            if save % 2:
                temporary = file.with_name(f".{file.name}.swp")
                temporary.write_text(source + f"\n# save {save}\n")
                os.replace(temporary, file)  # an editor's atomic save
            else:
                file.write_text(source + f"\n# save {save}\n")
            times.append(_verdict_after(process, started, b"Since the last grade"))
        return statistics.median(times)
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="dlprep-bench-"))
    env = scratch_env(scratch)
    try:
        torch_s = statistics.median(wall([sys.executable, "-c", "import torch"], env) for _ in range(3))
        for kata_id in CORE_KATAS:
            latency = regrade_latency(kata_id, scratch, env)
            print(f"dlprep watch {kata_id}, save to verdict: {latency:.2f} s = {latency / torch_s:.2f} x import torch ({torch_s:.2f} s) (target <= 0.3 s)")
        workspace = scratch / "ws"
        workspace.mkdir()
        for kata in load().katas:
            shutil.copyfile(paths.reference(kata.id), workspace / f"{kata.id}.py")
        every = statistics.median(wall([*DLPREP, "grade", "--all", "--device", "cpu"], env) for _ in range(3))
        print(f"dlprep grade --all ({len(load().katas)} references): {every:.1f} s = {every / torch_s:.1f} x import torch (target <= 6 s)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
