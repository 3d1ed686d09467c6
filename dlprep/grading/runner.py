"""Starts the learner's process, feeds it cases, and watches it: time, memory, output."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlprep.grading import wire

OUTPUT_LIMIT = 8_000
"""Characters of the submission's own output kept for the report; the rest is drained."""


@dataclass
class Outcome:
    frames: list[dict[str, Any]]
    output: str
    """What the submission printed, truncated."""
    error: dict[str, str] | None = None
    """Set when the process itself failed: timeout, crash, memory."""


@dataclass
class LearnerProcess:
    config: dict[str, Any]
    timeout_s: float
    memory_bytes: int
    frames: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        case_read, self._case_write = os.pipe()
        self._result_read, result_write = os.pipe()
        config = {**self.config, "case_fd": case_read, "result_fd": result_write}
        # An address-space cap breaks CUDA's initialisation; the resident-memory watch still holds.
        devices = self.config["devices"]
        cap_address_space = "cuda" not in devices if devices is not None else not _has_nvidia_device()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "dlprep.grading.child", json.dumps(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(case_read, result_write),
            start_new_session=True,  # Ctrl-C in the terminal reaches dlprep, which then ends this group
            preexec_fn=(lambda: _cap_memory(self.memory_bytes)) if cap_address_space else None,
        )
        os.close(case_read)
        os.close(result_write)
        self._started = time.monotonic()
        self._output: list[bytes] = []
        self._output_size = 0
        self._readers = [
            threading.Thread(target=self._read_frames, daemon=True),
            threading.Thread(target=self._read_output, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def send_cases(self, cases: list[dict[str, Any]]) -> None:
        """Hand the cases over without waiting: the process reads them only once torch is imported,
        and a large payload would otherwise hold the grader back from importing its own."""
        threading.Thread(target=self._write_cases, args=(wire.encode(cases),), daemon=True).start()

    def _write_cases(self, payload: bytes) -> None:
        try:
            wire.send_encoded(self._case_write, payload)
        except OSError:
            pass  # the process already ended; `wait` reports why
        finally:
            os.close(self._case_write)

    def _read_frames(self) -> None:
        try:
            while (frame := wire.receive(self._result_read)) is not None:
                self.frames.append(frame)
        except (ValueError, KeyError, OSError):
            self.frames.append({"type": "garbled"})
        finally:
            os.close(self._result_read)

    def _read_output(self) -> None:
        assert self._process.stdout is not None
        for chunk in iter(lambda: self._process.stdout.read1(65536), b""):
            if self._output_size < OUTPUT_LIMIT:
                self._output.append(chunk)
            self._output_size += len(chunk)

    def output(self) -> str:
        text = b"".join(self._output).decode(errors="replace")
        if self._output_size > OUTPUT_LIMIT:
            text = text[:OUTPUT_LIMIT] + f"\n... ({self._output_size - OUTPUT_LIMIT} more bytes of output dropped)"
        return text

    def wait(self) -> Outcome:
        """Block until the process ends or breaks a limit; always leaves no process behind."""
        error = None
        try:
            while self._process.poll() is None:
                elapsed = time.monotonic() - self._started
                if elapsed > self.timeout_s:
                    error = {"kind": "timeout", "message": f"did not finish within {self.timeout_s:g} s{self._where()}: an infinite loop, or far too much work?"}
                    break
                if _resident_bytes(self._process.pid) > self.memory_bytes:
                    error = {"kind": "crash", "message": f"used more than {self.memory_bytes / 2**30:g} GiB of memory{self._where()}"}
                    break
                time.sleep(0.02)
        finally:
            self.kill()
        for reader in self._readers:
            reader.join(timeout=2)
        if error is None:
            error = self._exit_error()
        return Outcome(list(self.frames), self.output(), error)

    def _where(self) -> str:
        starts = [f for f in self.frames if f.get("type") == "start"]
        return f" (in case {starts[-1]['index'] + 1} on {starts[-1]['device']})" if starts else " (while importing your file)"

    def _exit_error(self) -> dict[str, str] | None:
        if any(f.get("type") in {"done", "error"} for f in self.frames):
            return None
        code = self._process.returncode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            return {"kind": "crash", "message": f"the process was killed by {name}{self._where()}"}
        return {"kind": "crash", "message": f"the process exited with status {code} before finishing{self._where()} (os._exit?)"}

    def kill(self) -> None:
        if self._process.poll() is None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._process.wait()


def _has_nvidia_device() -> bool:
    return any(Path("/dev").glob("nvidia[0-9]*"))


def _cap_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
