"""A failing grade reads in one screen: verdict and diagnosis first, a line per failing case."""

from __future__ import annotations

import types

import pytest
from rich.cells import cell_len
from rich.console import Console

from dlprep.cli.render import render_report
from dlprep.grading import loaders
from dlprep.katas.catalog import load
from tests.katas.helpers import grade_in_process

CORE = ("attention", "lstm", "adam", "backprop")
FAILING = [(kata, m) for kata in map(load().get, CORE) for m in loaders.mistakes(kata)]


def rendered(report, **options) -> list[str]:
    console = Console(width=80, record=True, force_terminal=False, color_system=None)
    render_report(console, report, **options)
    return console.export_text().rstrip("\n").splitlines()


@pytest.mark.parametrize("kata, mistake", FAILING, ids=[f"{k.id}:{m.id}" for k, m in FAILING])
def test_a_failing_core_grade_fits_in_25_lines_at_80_columns(kata, mistake):
    lines = rendered(grade_in_process(kata, loaders.mistake_impl(kata, mistake)))
    assert len(lines) <= 25, "\n".join(lines)
    assert lines[0].startswith(f"✘ {kata.id} not passed") and "Likely mistake: " + mistake.id in lines[1]
    assert all(cell_len(line) <= 80 for line in lines)


def test_one_message_for_many_cases_is_said_once():
    kata = load().get("attention")
    ref = loaders.reference(kata)

    def detached(Q, K, V, mask=None):
        output, weights = ref.self_attention(Q, K, V, mask)
        return output.detach(), weights

    report = grade_in_process(kata, types.SimpleNamespace(self_attention=detached, causal_mask=ref.causal_mask))
    text = "\n".join(rendered(report))
    assert text.count("not connected to the inputs by autograd") == 1
    assert f"{sum(not c.passed for c in report.checks)} cases (" in text


def test_a_wrong_number_of_values_is_said_plainly():
    kata = load().get("attention")
    ref = loaders.reference(kata)
    report = grade_in_process(kata, types.SimpleNamespace(
        self_attention=lambda Q, K, V, mask=None: ref.self_attention(Q, K, V, mask)[0], causal_mask=ref.causal_mask))
    assert any("returned 1 value, expected 2 (output, weights)" in c.message for c in report.checks)
    assert "raised an exception" not in "\n".join(rendered(report))


def test_verbose_adds_the_table_of_every_check():
    kata = load().get("attention")
    report = grade_in_process(kata, loaders.mistake_impl(kata, loaders.mistakes(kata)[0]))
    assert len(rendered(report, verbose=True)) > len(rendered(report))


def test_a_grade_shown_outside_dlprep_grade_says_which_command_shows_more():
    kata = load().get("attention")
    report = grade_in_process(kata, loaders.mistake_impl(kata, loaders.mistakes(kata)[0]))
    assert any(line.startswith("More: --verbose") for line in rendered(report))
    assert any(line.startswith("More: dlprep grade attention --verbose") for line in rendered(report, command="dlprep grade attention"))


def _two_functions_failing():
    """efficient_attention with a known flash mistake and a Linformer that raises."""
    kata = load().get("efficient_attention")
    mistake = next(m for m in loaders.mistakes(kata) if m.id == "rescale-output-only")

    def linformer_attention(Q, K, V, E, F):
        raise TypeError("linformer_attention() got an unexpected keyword argument 'F'")

    return kata, grade_in_process(kata, loaders.variant_impl(kata, {**mistake.forms()[0], "linformer_attention": linformer_attention}))


def test_every_function_that_failed_shows_a_line_and_an_exception_says_what_was_raised():
    kata, report = _two_functions_failing()
    groups = {c.message for c in report.checks if not c.passed}
    assert len(groups) > 8, "the flash failures alone must fill the lines a compact report shows"
    text = "\n".join(rendered(report))
    assert "linformer_attent" in text and "raised TypeError" in text
    assert [d.mistake for d in report.diagnosis] == ["rescale-output-only"]
    assert "the other 5 failing cases have another cause" in text
