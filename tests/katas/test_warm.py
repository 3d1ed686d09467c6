"""A warm grader shares nothing between submissions but what dlprep computed itself.

Every grade runs in a fresh fork of the learner host: what one submission does to its process
(a global, a patched torch, a hang, a crash, an exit) cannot reach the next grade.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from dlprep import paths
from dlprep.grading.grader import Grader
from dlprep.grading.watch import Watcher
from dlprep.katas.catalog import load

ATTENTION = load().get("attention")
REFERENCE = paths.reference("attention").read_text()


@pytest.fixture(scope="module")
def grading():
    with Grader(warm="torch", timeout_s=5) as grader:
        yield grader


def test_what_a_submission_does_to_its_process_does_not_reach_the_next(grading, tmp_path):
    meddler = tmp_path / "meddler.py"
    meddler.write_text(REFERENCE + textwrap.dedent("""
        import builtins, numpy, sys
        import torch
        torch.softmax = lambda *args, **kwargs: 0        # patch torch
        torch.Tensor.__matmul__ = lambda a, b: a          # and its operators
        numpy.asarray = None                              # and NumPy
        builtins.GLOBAL_STATE = "set by the meddler"
        sys.modules["dlprep.grading.execute"].describe = lambda value: {"kind": "none"}
    """))
    assert not grading.grade(ATTENTION, meddler, ["cpu"]).passed
    honest = tmp_path / "attention.py"
    honest.write_text(REFERENCE + "\nimport builtins\nassert not hasattr(builtins, 'GLOBAL_STATE')\n")
    report = grading.grade(ATTENTION, honest, ["cpu"])
    assert report.passed, report.error


@pytest.mark.parametrize("misbehaviour, kind", [
    ("while True:\n        pass", "timeout"),
    ("import ctypes; ctypes.string_at(0)", "crash"),
    ("import os; os._exit(3)", "crash"),
    ("raise SystemExit(0)", "crash"),
])
def test_after_a_hang_a_crash_or_an_exit_the_next_save_grades_normally(grading, tmp_path, misbehaviour, kind):
    file = tmp_path / "attention.py"
    watcher = Watcher(grading, ATTENTION, file, ["cpu"])
    file.write_text(REFERENCE + f"\ndef self_attention(Q, K, V, mask=None):\n    {misbehaviour}\n")
    report, _ = watcher.grade()
    assert report.error is not None and report.error.kind == kind
    file.write_text(REFERENCE)
    report, changed = watcher.grade()
    assert report.passed and f"no more {kind} error" in changed


def test_a_regrade_says_what_changed(grading, tmp_path):
    file = tmp_path / "attention.py"
    watcher = Watcher(grading, ATTENTION, file, ["cpu"])
    file.write_text(REFERENCE.replace("/ math.sqrt(d_k)", ""))
    first, changed = watcher.grade()
    assert [d.mistake for d in first.diagnosis] == ["no-scale"] and changed == ""
    file.write_text(REFERENCE)
    second, changed = watcher.grade()
    assert second.passed and "more cases pass" in changed and "`no-scale` fixed" in changed


def test_a_save_made_before_the_watch_was_set_up_is_seen(grading, tmp_path):
    """Between the first grade and the moment the file is watched no event can come; the file's
    version says a save happened."""
    file = tmp_path / "attention.py"
    file.write_text(REFERENCE)
    watcher = Watcher(grading, ATTENTION, file, ["cpu"])
    watcher.grade()
    stop = threading.Event()
    timer = threading.Timer(10, stop.set)
    timer.start()
    try:
        file.write_text(REFERENCE.replace("/ math.sqrt(d_k)", ""))
        assert next(watcher.saves(stop), "stopped") is None, "the save went unseen"
    finally:
        stop.set()
        timer.cancel()


def test_an_unchanged_file_is_not_graded_again_when_the_watch_starts(grading, tmp_path):
    file = tmp_path / "attention.py"
    file.write_text(REFERENCE)
    watcher = Watcher(grading, ATTENTION, file, ["cpu"])
    watcher.grade()
    stop = threading.Event()
    timer = threading.Timer(1, stop.set)
    timer.start()
    assert list(watcher.saves(stop)) == []


def test_watch_grades_again_on_each_kind_of_save(tmp_path):
    """Piped, `dlprep watch` prints one result per save: a plain overwrite and an editor's rename."""
    file = tmp_path / "attention.py"
    file.write_text(REFERENCE)
    watch = subprocess.Popen([sys.executable, "-m", "dlprep", "watch", "attention", "--file", str(file), "--device", "cpu"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        os.set_blocking(watch.stdout.fileno(), False)
        seen = _wait_for(watch, "✔ attention passed".encode(), b"")
        file.write_text(REFERENCE.replace("/ math.sqrt(d_k)", ""))
        seen = _wait_for(watch, b"no-scale", seen)
        swap = tmp_path / ".attention.py.swp"
        swap.write_text(REFERENCE)
        os.replace(swap, file)
        _wait_for(watch, b"`no-scale` fixed", seen)
    finally:
        watch.terminate()
        watch.wait(timeout=10)


def _wait_for(process, text: bytes, seen: bytes, limit: float = 60) -> bytes:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        chunk = process.stdout.read() or b""
        seen += chunk
        if text in seen:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never came: {seen.decode(errors='replace')[-2000:]}")


def test_two_files_of_one_kata_graded_at_once_run_its_reference_once(tmp_path, monkeypatch):
    from dlprep.grading import loaders

    made, referred = [], []
    make_cases, reference = loaders.make_cases, loaders.reference
    monkeypatch.setattr(loaders, "make_cases", lambda kata: made.append(kata.id) or make_cases(kata))
    monkeypatch.setattr(loaders, "reference", lambda kata: referred.append(kata.id) or reference(kata))
    softmax = load().get("softmax")
    files = [tmp_path / name / "softmax.py" for name in ("a", "b")]
    for file in files:
        file.parent.mkdir()
        file.write_text(paths.reference("softmax").read_text())
    with Grader() as grader:
        reports = [report for _, report in grader.grade_many([(softmax, file) for file in files])]
    assert all(report.passed for report in reports), [report.error for report in reports]
    assert made == referred == ["softmax"]
