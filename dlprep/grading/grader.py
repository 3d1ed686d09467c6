"""Grades a submission: runs it in its own isolated process, compares with the reference, diagnoses.

A `Grader` keeps a learner host warm (one per framework: torch's takes seconds to import) and
each kata's reference outputs in memory, so grading many files, or one file many times, computes
nothing twice; every submission still runs in a fresh, isolated process. This module imports
little: the host is started first, and NumPy, torch and the reference load here while it starts,
so the two processes' imports overlap.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import math
import os
import shutil
import tempfile
import threading
import time
import tokenize
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

from dlprep import paths
from dlprep.grading import DEFAULT_MEMORY_BYTES, DEFAULT_TIMEOUT_S, forbidden, isolation, signatures
from dlprep.grading.isolation import limits
from dlprep.grading.report import GradeError, GradeReport
from dlprep.grading.runner import Host, HostError, Outcome
from dlprep.katas.catalog import Kata

FILE_BYTES = 64 * 2**20
"""The largest file the learner's process may write in its folder."""


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


class NoCuda(Exception):
    """CUDA was asked for, and PyTorch sees no CUDA device."""


def nvidia_present() -> bool:
    """Whether this machine has an NVIDIA device at all, known without importing torch."""
    return any(Path("/dev").glob("nvidia[0-9]*"))


@dataclass
class Prepared:
    """What a kata's grades share: its checks, its cases (encoded once) and the reference's outputs."""

    checks: ModuleType
    cases: list
    payload: bytes
    expected: list[dict[str, Any]]
    max_frame: int
    shared: Any = None
    """`verdict.Shared`, made with the reference's outputs: what the next grades reuse."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """Held while the reference runs: two grades of the kata at once run it once."""


class Grader:
    def __init__(self, *, isolation_mode: str = "auto", timeout_s: float = DEFAULT_TIMEOUT_S,
                 memory_bytes: int = DEFAULT_MEMORY_BYTES, warm: str | None = None):
        """`warm`: start the host for this framework ("torch", "numpy") at once."""
        isolation.check_strict(isolation_mode)
        limits.not_dumpable()  # no process of ours, or of the learner's user, may open our /proc files
        self.isolation_mode, self.timeout_s, self.memory_bytes = isolation_mode, timeout_s, memory_bytes
        self._hosts: dict[str, Host] = {}
        self._lock = threading.Lock()
        self._prepared: dict[str, Prepared] = {}
        self._preparing: dict[str, threading.Lock] = {}
        """One lock per kata, so that two of its files graded at once make its cases once."""
        self.last: Prepared | None = None
        """What the last grade was run on: its cases and the reference's outputs (for --repro)."""
        if warm is not None:
            self._host(warm)

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        for host in self._hosts.values():
            host.close()
        self._hosts.clear()

    def _host(self, preload: str) -> Host:
        with self._lock:
            host = self._hosts.get(preload)
            if host is None or not host.alive():
                host = self._hosts[preload] = Host(preload)
            return host

    def grade_many(self, targets: list[tuple[Kata, Path]], devices: list[str] | None = None,
                   *, parallel: int = 2) -> Iterator[tuple[Kata, GradeReport]]:
        """Each (kata, file) graded, two at a time: the learner's processes use a core each while
        this process compares. Reports come in the order of `targets`."""
        self._host("numpy")  # started here, on this thread, not by a worker
        pool = ThreadPoolExecutor(max_workers=max(1, min(parallel, os.cpu_count() or 1)))
        futures = [pool.submit(self.grade, kata, file, devices) for kata, file in targets]
        try:
            for (kata, _), future in zip(targets, futures):
                yield kata, future.result()
        except BaseException:
            # Interrupted: end the learners' processes now, or the workers would wait out their limits.
            for future in futures:
                future.cancel()
            self.close()
            raise
        finally:
            pool.shutdown(wait=True)

    def grade(self, kata: Kata, file: Path, devices: list[str] | None = None) -> GradeReport:
        """Grade `file` as a submission for `kata` on `devices`.

        `None` means the CPU, and CUDA too where the learner's process finds it: deciding there
        spares this process importing torch before starting it. numpy and python katas: the CPU.
        Raises NoCuda when `devices` names CUDA and there is none: no verdict, not a failed one."""
        started = time.monotonic()
        if devices is not None and "cuda" in devices and not cuda_available():
            raise NoCuda("needs CUDA, and PyTorch sees no CUDA device here")
        if kata.framework != "torch":
            devices = ["cpu"]
        report = GradeReport(kata=kata.id, file=str(file), devices=devices or ["cpu"])
        folder = Path(tempfile.mkdtemp(prefix="dlprep-grade-"))
        try:
            # The copy is read, scanned and run: a save while grading (watch mode) changes none of them.
            copy = Path(shutil.copyfile(file, folder / file.name))
            source, report.error = read_source(copy, file)
            if report.error is None:
                report.error = _read_statically(kata, source)
            if report.error is None:
                self._run(kata, copy, devices, report)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        report.duration_s = time.monotonic() - started
        return report

    def _run(self, kata: Kata, copy: Path, devices: list[str] | None, report: GradeReport) -> None:
        """Run `copy`, the submission's copy alone in the learner's private folder."""
        from dlprep.grading.frames import Frames

        host = self._host(host_for(kata))
        prepared = self.last = self._prepare(kata)
        try:
            cuda = kata.framework == "torch" and ("cuda" in devices if devices is not None else nvidia_present())
            frames = Frames(len(prepared.cases), devices, frozenset({"cpu", "cuda"} if cuda else {"cpu"}))
            run = host.start(
                self._config(kata, copy, devices, cuda, host), prepared.payload, frames,
                [case.name for case in prepared.cases], timeout_s=self.timeout_s, memory_bytes=self.memory_bytes,
                max_frame=prepared.max_frame, folder=copy.parent,
            )
            self._expect(kata, prepared)
            outcome = run.wait()
        except HostError as exc:
            self._expect(kata, prepared)
            outcome = Outcome([], "", {"kind": "crash", "message": str(exc)})
        from dlprep.grading import verdict

        report.output = outcome.output
        report.isolation = {"mode": self.isolation_mode, "layers": outcome.isolation}
        verdict.evaluate(prepared.shared, outcome, report)

    def _config(self, kata: Kata, file: Path, devices: list[str] | None, cuda: bool, host: Host) -> dict[str, Any]:
        plan = isolation.Plan(
            mode=self.isolation_mode,
            folder=str(file.parent),
            hidden=(str(paths.solutions_dir()), str(paths.home())),
            cpu_seconds=math.ceil(self.timeout_s) + 2,
            memory_bytes=None if cuda else self.memory_bytes,
            file_bytes=FILE_BYTES,
            parent=host.pid,
            cuda=cuda,
        )
        return {
            "kata": kata.id,
            "file": str(file),
            "framework": kata.framework,
            "functions": list(kata.functions),
            "parameters": contract_parameters(kata),
            "forbidden": list(kata.forbidden),
            "forbidden_ops": list(kata.forbidden_ops),
            "devices": devices,
            "hidden_modules": ["dlprep.solutions"],
            "isolation": plan.to_dict(),
        }

    def _prepare(self, kata: Kata) -> Prepared:
        """Checks and cases, without the reference: the learner's process can start on them."""
        with self._lock:
            lock = self._preparing.setdefault(kata.id, threading.Lock())
        with lock:
            return self._prepared.get(kata.id) or self._make_prepared(kata)

    def _make_prepared(self, kata: Kata) -> Prepared:
        from dlprep.grading import loaders, wire

        checks = loaders.checks_module(kata)
        cases = loaders.make_cases(kata)
        payload = wire.encode([dataclasses.asdict(case) for case in cases])
        # A frame carries one case's outputs, gradients and inputs: far less than this, even for
        # the statistical katas' large draws. What goes beyond is refused before it is read; an
        # output of the wrong size within it fails its comparison.
        max_frame = min(wire.MAX_FRAME, 64 * 2**20 + 16 * len(payload))
        prepared = Prepared(checks, cases, payload, [], max_frame)
        if not getattr(checks, "FRESH_SEED", False):
            self._prepared[kata.id] = prepared
        return prepared

    def _expect(self, kata: Kata, prepared: Prepared) -> None:
        from dlprep.grading import loaders, verdict
        from dlprep.grading.execute import execute

        with prepared.lock:
            if prepared.shared is not None:
                return
            ref = loaders.reference(kata)
            prepared.expected = [execute(ref, prepared.checks, case, kata.framework, "cpu") for case in prepared.cases]
            prepared.shared = verdict.Shared(kata, prepared.checks, prepared.cases, prepared.expected)


def grade(kata: Kata, file: Path, devices: list[str] | None = None, *, timeout_s: float = DEFAULT_TIMEOUT_S,
          memory_bytes: int = DEFAULT_MEMORY_BYTES, isolation_mode: str = "auto") -> GradeReport:
    """Grade one file with a grader of its own (a cold grade)."""
    with Grader(isolation_mode=isolation_mode, timeout_s=timeout_s, memory_bytes=memory_bytes, warm=host_for(kata)) as grader:
        return grader.grade(kata, file, devices)


def host_for(kata: Kata) -> str:
    """The learner host that runs the kata's submissions: torch's, or the lighter NumPy one."""
    return "torch" if kata.framework == "torch" else "numpy"


@functools.lru_cache(maxsize=None)
def contract_parameters(kata: Kata) -> dict[str, list[str]]:
    """The parameter names of the kata's functions, in order, as its stub writes them."""
    return signatures.contract(paths.stub(kata.id).read_text(encoding="utf-8"), kata.functions)


def read_source(file: Path, shown: Path) -> tuple[str, GradeError | None]:
    """The file as Python reads it (PEP 263 coding declarations honoured). `file` is the learner's
    file or its copy; what the error says names `shown`, the learner's own."""
    try:
        with tokenize.open(file) as handle:
            return handle.read(), None
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        return "", GradeError("syntax", f"your file cannot be read as Python source: {str(exc).replace(str(file), str(shown))}")


def _read_statically(kata: Kata, source: str) -> GradeError | None:
    """What reading the file reveals: a syntax error or a forbidden API."""
    try:
        uses = forbidden.scan(ast.parse(source), kata.forbidden)
    except SyntaxError as exc:
        return GradeError("syntax", f"line {exc.lineno}: {exc.msg}")
    except (MemoryError, RecursionError, ValueError) as exc:  # pathological nesting, NUL bytes
        return GradeError("syntax", f"your file cannot be parsed ({type(exc).__name__}: {str(exc) or 'too deeply nested'})")
    return GradeError("forbidden-api", forbidden.describe(uses)) if uses else None
