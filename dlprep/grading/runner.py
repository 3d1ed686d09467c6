"""The grader's side of the learner's process: a warm host, and one watched run per submission.

`Host` starts the learner host (`host.py`) once; `Host.start` asks it to fork a learner process
for one submission and returns a `Run`, which feeds the cases, reads and checks every frame as it
arrives (`frames.Frames`), drains what the submission prints, and watches time and memory.
Whatever the learner's process does (hangs, floods, forges frames, dies), `Run.wait` returns an
`Outcome`; nothing it sends can raise here.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlprep.grading import wire
from dlprep.grading.frames import FrameError, Frames

OUTPUT_LIMIT = 8_000
"""Characters of the submission's own output kept for the report; the rest is drained."""
HOST_START_S = 120.0
"""How long the host may take to import torch before the run starts: a loaded machine is slow."""


@dataclass
class Outcome:
    frames: list[dict[str, Any]]
    """Every frame the learner's process sent, each checked (see `frames`)."""
    output: str
    """What the submission printed, truncated."""
    error: dict[str, str] | None = None
    """Set when the run itself failed: timeout, memory, a forged frame, an early exit."""
    isolation: dict[str, bool] | None = None


class HostError(Exception):
    """The learner host itself failed (it could not start or import its modules)."""


class Host:
    """A learner host process: imports once, forks a learner process per `start`."""

    def __init__(self, preload: str):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "dlprep.grading.host", str(theirs.fileno()), preload],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C in the terminal reaches dlprep, which then ends the host
        )
        theirs.close()
        self._sock = ours
        self._stderr: list[bytes] = []
        self._lock = threading.Lock()
        self._waiting: list[queue.Queue] = []
        """One queue per run asked for and not yet started: the host answers requests in order."""
        self._runs: dict[int, queue.Queue] = {}
        self._ended: str | None = None
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        threading.Thread(target=self._dispatch, daemon=True).start()

    def _drain_stderr(self) -> None:
        assert self._process.stderr is not None
        for chunk in iter(lambda: self._process.stderr.read1(4096), b""):
            if sum(map(len, self._stderr)) < 16_000:
                self._stderr.append(chunk)

    @property
    def pid(self) -> int:
        return self._process.pid

    def alive(self) -> bool:
        return self._process.poll() is None

    def why_it_ended(self) -> str:
        text = b"".join(self._stderr).decode(errors="replace").strip().splitlines()
        return text[-1] if text else f"exit status {self._process.poll()}"

    def start(self, config: dict[str, Any], cases: bytes, frames: Frames, case_names: list[str], *,
              timeout_s: float, memory_bytes: int, max_frame: int, folder: Path) -> Run:
        case_read, case_write = os.pipe()
        result_read, result_write = os.pipe()
        output_read, output_write = os.pipe()
        events: queue.Queue = queue.Queue()
        try:
            request = json.dumps({"type": "run", "config": config}).encode()
            with self._lock:
                socket.send_fds(self._sock, [request], [case_read, result_write, output_write])
                self._waiting.append(events)
        except OSError as exc:
            for fd in (case_read, case_write, result_read, result_write, output_read, output_write):
                os.close(fd)
            raise HostError(f"the learner host is not answering ({exc}): {self.why_it_ended()}") from None
        for fd in (case_read, result_write, output_write):
            os.close(fd)
        return Run(self, events, case_write, result_read, output_read, cases, frames, case_names,
                   timeout_s=timeout_s, memory_bytes=memory_bytes, max_frame=max_frame, folder=folder)

    def _dispatch(self) -> None:
        """Hand each word of the host to the run it is about: several runs may be under way."""
        while True:
            try:
                data = self._sock.recv(65536)
            except OSError:
                data = b""
            with self._lock:
                if not data:
                    self._ended = f"the learner host ended: {self.why_it_ended()}"
                    for events in [*self._waiting, *self._runs.values()]:
                        events.put({"type": "ended"})
                    return
                message = json.loads(data)
                if message["type"] == "started" and self._waiting:
                    events = self._waiting.pop(0)
                    self._runs[message["pid"]] = events
                else:
                    events = self._runs.pop(message["pid"], None)
            if events is not None:
                events.put(message)

    def kill(self, pid: int) -> None:
        try:
            with self._lock:
                self._sock.send(json.dumps({"type": "kill", "pid": pid}).encode())
        except OSError:
            pass

    def close(self) -> None:
        """End the host and every process it started; leaves nothing behind."""
        if self._process.poll() is None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._process.wait()
        self._sock.close()


@dataclass
class Run:
    host: Host
    events: queue.Queue
    """What the host says of this run: started (with the pid), exited (with the status)."""
    case_write: int
    result_read: int
    output_read: int
    cases: bytes
    frames: Frames
    case_names: list[str]
    timeout_s: float
    memory_bytes: int
    max_frame: int
    folder: Path
    pid: int | None = None
    status: int | None = None
    problem: dict[str, str] | None = None
    _output: list[bytes] = field(default_factory=list)
    _output_size: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._write_cases, daemon=True),
            threading.Thread(target=self._read_frames, daemon=True),
            threading.Thread(target=self._read_output, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    # --- the three streams --------------------------------------------------------------------

    def _write_cases(self) -> None:
        try:
            wire.send_encoded(self.case_write, self.cases)
        except OSError:
            pass  # the process already ended; `wait` reports why
        finally:
            os.close(self.case_write)

    def _read_frames(self) -> None:
        max_elements = self.max_frame // 2
        try:
            while (frame := wire.receive(self.result_read, max_bytes=self.max_frame, max_elements=max_elements)) is not None:
                self.frames.accept(frame)
        except (wire.WireError, FrameError) as exc:
            self._fail("crash", f"the learner's process sent {exc} (did your code write to dlprep's result channel?)")
        except Exception as exc:  # noqa: BLE001 - nothing the learner's process sends may raise in dlprep
            self._fail("crash", f"the learner's process sent a frame dlprep could not read ({type(exc).__name__}: {exc})")
        finally:
            os.close(self.result_read)

    def _read_output(self) -> None:
        while chunk := os.read(self.output_read, 65536):
            if self._output_size < OUTPUT_LIMIT:
                self._output.append(chunk)
            self._output_size += len(chunk)
        os.close(self.output_read)

    def _fail(self, kind: str, message: str) -> None:
        if self.problem is None:
            self.problem = {"kind": kind, "message": message}
        self._stop.set()

    def output(self) -> str:
        text = b"".join(self._output).decode(errors="replace")
        if self._output_size > OUTPUT_LIMIT:
            text = text[:OUTPUT_LIMIT] + f"\n... ({self._output_size - OUTPUT_LIMIT} more bytes of output dropped)"
        return text

    # --- watching -----------------------------------------------------------------------------

    def wait(self) -> Outcome:
        """Until the process ends or breaks a limit; always leaves no process behind."""
        try:
            self._watch()
        except HostError as exc:
            self._fail("crash", str(exc))
        finally:
            if self.pid is not None and self.status is None:
                self.host.kill(self.pid)
                self._collect_exit(deadline=time.monotonic() + 5)
        for thread in self._threads[1:]:
            thread.join(timeout=2)
        error = self.problem or self._exit_error()
        return Outcome(list(self.frames.frames), self.output(), error, self.frames.isolation)

    def _next(self, timeout: float) -> dict | None:
        try:
            message = self.events.get(timeout=timeout)
        except queue.Empty:
            return None
        if message["type"] == "ended":
            raise HostError(self.host._ended or "the learner host ended")
        return message

    def _watch(self) -> None:
        deadline = time.monotonic() + HOST_START_S
        while self.pid is None:
            if time.monotonic() > deadline:
                raise HostError(f"the learner host did not start within {HOST_START_S:g} s")
            message = self._next(0.05)
            if message and message["type"] == "started":
                self.pid = message["pid"]
        started = time.monotonic()
        while self.status is None:
            message = self._next(0.02)
            if message and message["type"] == "exited":
                self.status = message["status"]
                return
            if self._stop.is_set():
                return
            if time.monotonic() - started > self.timeout_s:
                self._fail("timeout", f"did not finish within the time limit of {self.timeout_s:g} s{self._where()}: "
                                      "an infinite loop, or far too much work? (`--timeout` sets the limit)")
                return
            used = _memory_in_use(self.pid, self.folder)
            if used > self.memory_bytes:
                self._fail("crash", f"used more than {self.memory_bytes / 2**30:g} GiB of memory{self._where()}")
                return

    def _collect_exit(self, deadline: float) -> None:
        while self.status is None and time.monotonic() < deadline:
            try:
                message = self._next(0.05)
            except HostError:
                return
            if message and message["type"] == "exited":
                self.status = message["status"]

    def _where(self) -> str:
        starts = [f for f in self.frames.frames if f["type"] == "start"]
        if not starts:
            return " (while importing your file)"
        last = starts[-1]
        return f" (in case {last['index'] + 1}, '{self.case_names[last['index']]}', on {last['device']})"

    def _exit_error(self) -> dict[str, str] | None:
        if self.frames.ended:
            return None
        if self.status is not None and os.WIFSIGNALED(self.status):
            name = signal.Signals(os.WTERMSIG(self.status)).name
            reason = " (its CPU-time limit)" if name == "SIGXCPU" else ""
            return {"kind": "crash", "message": f"the process was killed by {name}{reason}{self._where()}"}
        code = os.WEXITSTATUS(self.status) if self.status is not None else None
        missing = self.frames.missing()
        if self.frames.devices is not None and missing:
            index, device = missing[0]
            detail = f"; case {index + 1} on {device} was never reported"
        else:
            detail = ""
        return {"kind": "crash", "message": f"the process exited with status {code} before finishing{self._where()} (os._exit?){detail}"}


def _memory_in_use(pid: int, folder: Path) -> int:
    """Resident memory, plus what it holds where residency does not show: files in its folder,
    and shared-memory or memfd files it has open (their pages may be counted nowhere else)."""
    page = os.sysconf("SC_PAGE_SIZE")
    try:
        with open(f"/proc/{pid}/statm") as statm:
            used = int(statm.read().split()[1]) * page
    except (OSError, ValueError, IndexError):
        return 0
    try:
        used += sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False))
        for fd in os.listdir(f"/proc/{pid}/fd"):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith(("/memfd:", "/dev/shm/")):
                used += os.stat(f"/proc/{pid}/fd/{fd}").st_size
    except OSError:
        pass
    return used
