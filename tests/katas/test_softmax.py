"""`softmax`: the reference agrees with torch.softmax / torch.log_softmax, stably and silently; every
form of every known mistake is named by its own id; probes say where an unknown fault lives."""

from __future__ import annotations

import types
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders
from dlprep.grading.checks import softmax as checks
from dlprep.grading.execute import execute
from dlprep.grading.spec import Case
from dlprep.katas.catalog import load

from .helpers import assert_localised_at, grade_in_process
from .strategies import reference, rng, seeds, small

sm = reference("softmax")
KATA = load().get("softmax")
# A mistake made in both functions may be made in either alone: each part is a form too.
FORMS = [(m, part) for m in loaders.mistakes(KATA) for form in m.forms()
         for part in (form, *([{name: fn} for name, fn in form.items()] if len(form) > 1 else []))]


@st.composite
def logits(draw):
    """(z, axis): a drawn shape and axis, logits of a drawn magnitude, some −inf entries."""
    shape = tuple(draw(st.lists(small, min_size=1, max_size=3)))
    axis = draw(st.integers(min_value=-len(shape), max_value=len(shape) - 1))
    gen = rng(draw(seeds))
    z = gen.standard_normal(shape) * draw(st.sampled_from([1.0, 30.0, 1e3, 1e4]))
    if draw(st.booleans()):  # −inf entries, never a whole slice along `axis`
        hidden = np.moveaxis(gen.random(shape) < 0.3, axis, -1)
        hidden[..., 0] = False
        z[np.moveaxis(hidden, -1, axis)] = -np.inf
    return z, axis


def silently(fn, *args):
    """Call with every NumPy floating-point warning an error (underflow to 0 is fine)."""
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        return fn(*args)


@settings(max_examples=25, deadline=None)
@given(logits())
def test_matches_torch(case):
    z, axis = case
    before = z.copy()
    p = silently(sm.softmax, z, axis)
    log_p = silently(sm.log_softmax, z, axis)
    t = torch.from_numpy(z)
    assert p.shape == z.shape and log_p.shape == z.shape
    np.testing.assert_allclose(p, torch.softmax(t, dim=axis).numpy(), rtol=1e-12, atol=1e-15)
    scale = max(1.0, float(np.abs(z[np.isfinite(z)]).max(initial=0.0)))
    np.testing.assert_allclose(log_p, torch.log_softmax(t, dim=axis).numpy(), rtol=1e-12, atol=1e-15 * scale)
    assert np.isfinite(log_p[np.isfinite(z)]).all()  # finite wherever the logit is
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)
    assert np.array_equal(z, before)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_float32_in_float32_out(axis):
    z = (rng(3).standard_normal((3, 4, 5)) * 1e4).astype(np.float32)
    z[0, 0, 0] = -np.inf
    for fn, theirs in ((sm.softmax, torch.softmax), (sm.log_softmax, torch.log_softmax)):
        got = silently(fn, z, axis)
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, theirs(torch.from_numpy(z), dim=axis).numpy(), rtol=1e-5, atol=1e-2)


def test_default_axis_is_last():
    z = rng(4).standard_normal((3, 4))
    np.testing.assert_array_equal(sm.softmax(z), sm.softmax(z, axis=-1))
    np.testing.assert_array_equal(sm.log_softmax(z), sm.log_softmax(z, axis=1))


def test_extremes_exactly():
    z = np.array([[1e4, -1e4, -np.inf], [-1e4, -1e4 - 2.0, 0.0]])
    np.testing.assert_array_equal(silently(sm.softmax, z), [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(silently(sm.log_softmax, z), [[0.0, -2e4, -np.inf], [-1e4, -1e4 - 2.0, 0.0]])


class _LogOfSoftmax:
    @staticmethod
    def log_softmax(z, axis=-1):
        e = np.exp(z - z.max(axis=axis, keepdims=True))
        return np.log(e / e.sum(axis=axis, keepdims=True))


def test_run_reports_the_warning_a_right_value_hides():
    z = np.array([[0.0, -np.inf]])
    case = Case("inf", "log_softmax", {"z": z}, outputs=checks.OUTPUTS)
    *flags, out = checks.run(_LogOfSoftmax, case, {"z": z.copy()})
    np.testing.assert_array_equal(out, [[0.0, -np.inf]])  # the value is right ...
    assert flags == [0.0, 1.0, 0.0]  # ... but log(0) warned: divide by zero
    *flags, out = checks.run(sm, case, {"z": z.copy()})
    assert flags == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("mistake, form", FORMS, ids=[f"{m.id}:{n}" for n, (m, _) in enumerate(FORMS)])
def test_every_form_of_a_mistake_is_named_by_its_own_id(mistake, form):
    report = grade_in_process(KATA, loaders.variant_impl(KATA, form))
    assert not report.passed
    assert [d.mistake for d in report.diagnosis] == [mistake.id]


@pytest.mark.parametrize("mistake", [m for m in loaders.mistakes(KATA) if m.predicate], ids=lambda m: m.id)
def test_a_stated_property_never_holds_for_right_outputs(mistake):
    for case in loaders.make_cases(KATA):
        outputs = {name: record["data"] for name, record in execute(sm, checks, case, "numpy", "cpu")["outputs"].items()}
        assert not mistake.predicate(case, outputs), case.name


def _log_softmax_neg_inf_as(value):
    """log_softmax reading −inf logits as `value`: right wherever no logit is −inf."""
    return lambda z, axis=-1: sm.log_softmax(np.where(np.isneginf(z), value, z), axis)


@pytest.mark.parametrize("impl, probe", [
    (types.SimpleNamespace(softmax=lambda z, axis=-1: sm.softmax(z, axis).astype(np.float32), log_softmax=sm.log_softmax),
     "softmax: probe: a vector"),
    (types.SimpleNamespace(softmax=sm.softmax, log_softmax=_log_softmax_neg_inf_as(-1e30)), "log_softmax: probe: a −inf entry"),
], ids=["float32 out", "−inf read as -1e30"])
def test_an_unknown_fault_is_localised_by_the_first_failing_probe(impl, probe):
    assert_localised_at(KATA, impl, probe)
