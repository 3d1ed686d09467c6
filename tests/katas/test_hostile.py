"""Submissions that misbehave fail cleanly, inside their limits, with the contract's error kinds."""

from __future__ import annotations

import textwrap
import time

import pytest

from dlprep import paths
from dlprep.grading import grader, loaders
from dlprep.katas.catalog import load

ATTENTION = load().get("attention")
REFERENCE = paths.reference("attention").read_text()
TIMEOUT_S = 60.0
"""Generous: a loaded machine imports torch slowly; only the infinite loop waits for it."""


def grade_source(tmp_path, source: str, *, reference_body: bool = False, **limits):
    file = tmp_path / "attention.py"
    body = textwrap.dedent(source)
    file.write_text(REFERENCE + "\n" + body if reference_body else body)
    started = time.monotonic()
    timeout_s = limits.pop("timeout_s", TIMEOUT_S)
    report = grader.grade(ATTENTION, file, ["cpu"], timeout_s=timeout_s, **limits)
    assert time.monotonic() - started < timeout_s + 10, "grading outlived its time limit"
    assert not report.passed
    return report


def test_infinite_loop_times_out(tmp_path):
    report = grade_source(tmp_path, """
        def self_attention(Q, K, V, mask=None):
            while True:
                pass
        def causal_mask(n, device=None):
            pass
    """, timeout_s=15)
    assert report.error.kind == "timeout"
    assert "case 1" in report.error.message


@pytest.mark.parametrize("exit_call", ["import sys; sys.exit(3)", "raise SystemExit(0)"])
def test_sys_exit_is_a_crash(tmp_path, exit_call):
    report = grade_source(tmp_path, f"""
        def self_attention(Q, K, V, mask=None):
            {exit_call}
    """, reference_body=True)
    assert report.error.kind == "crash"
    assert "sys.exit" in report.error.message


def test_os_exit_is_a_crash(tmp_path):
    report = grade_source(tmp_path, """
        import os
        def self_attention(Q, K, V, mask=None):
            os._exit(0)
    """, reference_body=True)
    assert report.error.kind == "crash"
    assert "exited with status 0" in report.error.message


def test_segfault_is_a_crash(tmp_path):
    report = grade_source(tmp_path, """
        import ctypes
        def self_attention(Q, K, V, mask=None):
            ctypes.string_at(0)
    """, reference_body=True)
    assert report.error.kind == "crash"
    assert "SIGSEGV" in report.error.message


def test_memory_bomb_is_a_crash(tmp_path):
    report = grade_source(tmp_path, """
        def self_attention(Q, K, V, mask=None):
            hoard = []
            while True:
                hoard.append(bytearray(2**28))
    """, reference_body=True, memory_bytes=2 * 2**30)
    assert report.error.kind == "crash"
    assert "memory" in report.error.message


def test_keyboard_interrupt_is_a_crash(tmp_path):
    report = grade_source(tmp_path, """
        def self_attention(Q, K, V, mask=None):
            raise KeyboardInterrupt
    """, reference_body=True)
    assert report.error.kind == "crash"
    assert "KeyboardInterrupt" in report.error.message


def test_output_flood_is_truncated(tmp_path):
    report = grade_source(tmp_path, """
        import sys
        def self_attention(Q, K, V, mask=None):
            for _ in range(20_000):
                sys.stdout.write("x" * 1000 + "\\n")
            raise ValueError("still wrong")
    """, reference_body=True)
    assert len(report.output) < 10_000
    assert "more bytes of output dropped" in report.output
    assert any("still wrong" in check.message for check in report.checks)


def test_learner_exception_shows_their_traceback_only(tmp_path):
    report = grade_source(tmp_path, """
        def helper(x):
            return x.no_such_method()

        def self_attention(Q, K, V, mask=None):
            return helper(Q)
    """, reference_body=True)
    message = next(check.message for check in report.checks if not check.passed)
    assert ", in helper\n    return x.no_such_method()" in message and "AttributeError" in message
    assert "dlprep" not in message


def test_reading_the_reference_is_refused(tmp_path):
    report = grade_source(tmp_path, f"""
        exec(open({str(paths.reference('attention'))!r}).read())
    """)
    assert report.error.kind == "import"
    assert "out of reach" in report.error.message


def test_importing_the_reference_is_refused(tmp_path):
    report = grade_source(tmp_path, """
        from dlprep.solutions.attention import self_attention, causal_mask
    """)
    assert report.error.kind == "import"
    assert "cannot be imported" in report.error.message


def test_starting_a_process_is_refused(tmp_path):
    report = grade_source(tmp_path, """
        import subprocess
        def self_attention(Q, K, V, mask=None):
            subprocess.run(["true"])
    """, reference_body=True)
    assert any("may not start or signal processes" in check.message for check in report.checks)


def test_syntax_error(tmp_path):
    report = grade_source(tmp_path, "def self_attention(Q, K, V, mask=None)\n    return Q\n")
    assert report.error.kind == "syntax"
    assert "line 1" in report.error.message


def test_import_error(tmp_path):
    report = grade_source(tmp_path, "import numpyy\n")
    assert report.error.kind == "import"
    assert "numpyy" in report.error.message


def test_missing_function(tmp_path):
    report = grade_source(tmp_path, """
        def self_attention(Q, K, V, mask=None):
            raise NotImplementedError
    """)
    assert report.error.kind == "missing-function"
    assert "causal_mask" in report.error.message


def test_detached_output_is_explained(tmp_path):
    report = grade_source(tmp_path, """
        _reference = self_attention
        def self_attention(Q, K, V, mask=None):
            output, weights = _reference(Q, K, V, mask)
            return output.detach(), weights
    """, reference_body=True)
    assert any("detached" in check.message for check in report.checks)


def test_input_modified_in_place_is_caught(tmp_path):
    report = grade_source(tmp_path, """
        _reference = self_attention
        def self_attention(Q, K, V, mask=None):
            result = _reference(Q, K, V, mask)
            if mask is not None:
                mask.fill_(1)
            return result
    """, reference_body=True)
    failed = [check for check in report.checks if not check.passed]
    assert [check.name for check in failed] == ["causal mask", "padding mask (B, 1, 1, S) of 0/1", "float32, causal"]
    assert all("modified its input `mask` in place" in check.message for check in failed)


def test_changing_the_verdict_from_inside_is_impossible(tmp_path):
    """Patching torch in the learner's process cannot change what the grader compares with."""
    report = grade_source(tmp_path, """
        import torch
        torch.allclose = lambda *a, **k: True
        torch.testing.assert_close = lambda *a, **k: None
        def self_attention(Q, K, V, mask=None):
            return Q[..., :V.shape[-1]] * 0, Q[..., :K.shape[-2]] * 0
        def causal_mask(n, device=None):
            return torch.ones(n, n, dtype=torch.bool, device=device)
    """)
    assert sum(not check.passed for check in report.checks) >= 10


def test_not_implemented_from_a_library_is_the_learners_error_not_the_stub(tmp_path):
    report = grade_source(tmp_path, """
        _reference = self_attention
        def self_attention(Q, K, V, mask=None):
            torch.empty(2, device="meta").to(Q.device)  # PyTorch: "Cannot copy out of meta tensor"
            return _reference(Q, K, V, mask)
    """, reference_body=True)
    assert report.error is None
    message = next(check.message for check in report.checks if not check.passed)
    assert "NotImplementedError" in message and "meta tensor" in message and "line" in message


def test_a_device_slip_fails_the_grade_naming_both_lines(tmp_path):
    report = grade_source(tmp_path, """
        _reference = self_attention
        def self_attention(Q, K, V, mask=None):
            output, weights = _reference(Q, K, V, mask)
            bias = torch.zeros(output.shape[-1])
            return output + bias, weights
    """, reference_body=True)
    failed = [check for check in report.checks if not check.passed]
    calls = [case for case in loaders.make_cases(ATTENTION) if not case.probe]
    assert [c.name for c in failed] == [case.name for case in calls if case.call == "self_attention"]  # causal_mask untouched
    assert all("line 25 combines the inputs" in c.message and "on line 24" in c.message for c in failed), failed[0].message


def test_forbidden_work_through_a_built_name_fails_even_when_the_exception_is_swallowed(tmp_path):
    report = grade_source(tmp_path, """
        _reference = self_attention
        def self_attention(Q, K, V, mask=None):
            try:
                getattr(torch.ops.aten, "scaled_dot_" + "product_attention")(Q, K, V)
            except BaseException:
                pass
            return _reference(Q, K, V, mask)
    """, reference_body=True)
    assert report.error.kind == "forbidden-api"
    assert "scaled_dot_product_attention" in report.error.message and "line 24" in report.error.message
