"""`init`: the reference draws what torch.nn.init draws; the statistical checks are calibrated and
tell every known mistake apart whichever way a submission arranges its draws."""

from __future__ import annotations

import math
import zlib
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders, verdict
from dlprep.grading.checks import _statistics as bounds
from dlprep.grading.checks import init as checks
from dlprep.grading.execute import execute
from dlprep.katas.catalog import load
from tests.katas.strategies import reference, seeds
from tests.katas.helpers import grade_in_process

KATA = load().get("init")
init = reference("init")
fans = st.integers(min_value=1, max_value=64)


def torch_std(initialiser, n_in: int, n_out: int, seed: int) -> float:
    """The standard deviation torch.nn.init uses for a (n_out, n_in) weight, read off its draw."""
    torch.manual_seed(seed)
    weight = initialiser(torch.empty(n_out, n_in, dtype=torch.float64))
    torch.manual_seed(seed)
    standard = torch.empty(n_out, n_in, dtype=torch.float64).normal_()
    ratio = weight / standard
    assert torch.allclose(ratio, ratio.flatten()[0].expand_as(ratio), rtol=1e-12, atol=0)  # σ · N(0, 1)
    return ratio.flatten()[0].item()


TORCH = {
    "xavier_normal": torch.nn.init.xavier_normal_,
    "he_normal": lambda w: torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu"),
}


@settings(max_examples=25, deadline=None)
@given(n_in=fans, n_out=fans, seed=seeds, name=st.sampled_from(sorted(TORCH)))
def test_reference_draws_with_torch_init_std_and_layout(n_in, n_out, seed, name):
    # torch reads a (n_out, n_in) weight as fan_in = n_in, fan_out = n_out: the kata's layout
    assert torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(n_out, n_in)) == (n_in, n_out)
    W = getattr(init, name)(n_in, n_out, np.random.default_rng(seed))
    assert W.shape == (n_out, n_in) and W.dtype == np.float64
    # rng.normal(0, σ) is σ times the generator's standard normals: compare draw for draw
    std = torch_std(TORCH[name], n_in, n_out, seed)
    np.testing.assert_allclose(W, std * np.random.default_rng(seed).standard_normal((n_out, n_in)), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(TORCH))
def test_reference_and_torch_samples_have_the_formula_variance(name):
    n_in, n_out = 300, 500
    variance = checks.expected_variance(name, n_in, n_out)
    low, high = bounds.chi2_ratio_bounds(n_in * n_out)
    torch.manual_seed(0)
    theirs = TORCH[name](torch.empty(n_out, n_in, dtype=torch.float64)).numpy()
    mine = getattr(init, name)(n_in, n_out, np.random.default_rng(0))
    for sample in (mine, theirs):
        assert low <= np.mean(sample**2) / variance <= high


# -- the bounds the judge uses are conservative: measured at levels where failures are observable --


@pytest.mark.parametrize("n", [50, 2_000, 250_000])
def test_chi2_bounds_fail_no_more_often_than_stated(n):
    x = math.log(20.0)  # 5 % per side, so that a simulation can see it
    low, high = bounds.chi2_ratio_bounds(n, x)
    ratios = np.random.default_rng(n).chisquare(n, size=40_000) / n
    assert np.mean(ratios < low) <= 0.05 and np.mean(ratios > high) <= 0.05


@pytest.mark.parametrize("n, q", [(300, 0.0455), (20_000, 0.3173), (250_000, 0.0455)])
def test_bernstein_bound_fails_no_more_often_than_stated(n, q):
    x = math.log(20.0)  # 2e^(−x) = 10 %
    width = bounds.bernstein_halfwidth(n, q, x)
    fractions = np.random.default_rng(n).binomial(n, q, size=40_000) / n
    assert np.mean(np.abs(fractions - q) > width) <= 0.10


def test_judge_never_fails_the_reference_over_many_seeds():
    """False failures are below 1e-7 per grade by the bounds; here: none in 10 fresh grades' judge cases."""
    failures = []
    for draw in range(10):
        failures += _judge_failures(init, np.random.default_rng(1000 + draw))
    assert failures == []


def _judge_failures(impl, rng):
    failures = []
    for case in checks.cases(rng):
        if case.compare == "judge":
            record = execute(impl, checks, case, "numpy", "cpu")
            outputs = {name: r.get("data") for name, r in record["outputs"].items()}
            failures += [(case.name, d.message) for d in checks.judge(case, outputs) if not d.passed]
    return failures


# -- submissions written differently from the reference and the mistakes -------------------------------


def _xavier_std(n_in, n_out):
    return math.sqrt(2.0 / (n_in + n_out))


def _he_std(n_in, n_out):
    return math.sqrt(2.0 / n_in)


def _child(rng):
    """A generator spawned from `rng`: reproducible from the seed, but draws other than the reference's."""
    return np.random.default_rng(rng.integers(2**63))


def _transposed(std):
    """Draws (n_in, n_out) from a spawned generator and transposes: other draws, other arrangement."""
    return lambda n_in, n_out, rng: std(n_in, n_out) * _child(rng).standard_normal((n_in, n_out)).T


def _box_muller(std):
    """Normals made from rng.random by the Box–Muller transform: another correct way to sample."""

    def draw(n_in, n_out, rng):
        u1, u2 = 1.0 - rng.random((2, n_out, n_in))  # in (0, 1]
        return std(n_in, n_out) * np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)

    return draw


CORRECT = SimpleNamespace(xavier_normal=_box_muller(_xavier_std), he_normal=_transposed(_he_std))


def _with(**overrides):
    return SimpleNamespace(**{**vars(CORRECT), **overrides})


def _uniform(n_in, n_out, rng):
    a = math.sqrt(6.0 / (n_in + n_out))
    return (a * (2.0 * _child(rng).random((n_in, n_out)) - 1.0)).T


LEARNERS = {
    "variance-as-std": _with(xavier_normal=_transposed(lambda i, o: 2.0 / (i + o))),
    "he-variance-as-std": _with(he_normal=_box_muller(lambda i, o: 2.0 / i)),
    "swapped-shape": SimpleNamespace(
        xavier_normal=lambda i, o, rng: _child(rng).standard_normal((i, o)) * _xavier_std(i, o),
        he_normal=lambda i, o, rng: _box_muller(_he_std)(i, o, rng).T,
    ),
    "he-uses-fan-out": _with(he_normal=_transposed(lambda i, o: math.sqrt(2.0 / o))),
    "he-missing-factor-2": _with(he_normal=_box_muller(lambda i, o: math.sqrt(1.0 / i))),
    "xavier-missing-factor-2": _with(xavier_normal=_transposed(lambda i, o: math.sqrt(1.0 / (i + o)))),
    "xavier-uniform-not-normal": _with(xavier_normal=_uniform),
    # ignoring rng with a fresh unseeded generator, in one function only
    "ignores-rng": _with(he_normal=lambda i, o, rng: np.random.default_rng().normal(0.0, _he_std(i, o), (o, i))),
}


def test_every_mistake_has_a_learner_variant_here():
    assert set(LEARNERS) == {m.id for m in loaders.mistakes(KATA)}


def test_a_correct_submission_drawing_differently_passes():
    report = grade_in_process(KATA, CORRECT)
    assert report.passed, [(c.name, c.message) for c in report.checks if not c.passed]


def _diagnosis(impl, seed):
    cases = checks.cases(np.random.default_rng(seed))
    telling = [i for i, case in enumerate(cases) if case.compare == "reference"]
    expected = {i: execute(init, checks, cases[i], "numpy", "cpu") for i in telling}
    results = {i: execute(impl, checks, cases[i], "numpy", "cpu") for i in telling}
    expected_list = [expected.get(i) for i in range(len(cases))]
    return [d.mistake for d in verdict.diagnose(KATA, checks, cases, expected_list, results)]


@pytest.mark.parametrize("mistake_id", sorted(LEARNERS))
def test_a_mistake_written_differently_is_still_diagnosed(mistake_id):
    assert _diagnosis(LEARNERS[mistake_id], seed=zlib.crc32(mistake_id.encode())) == [mistake_id]


def test_mistakes_in_one_function_only_are_diagnosed_too():
    learner = _with(
        he_normal=lambda i, o, rng: _box_muller(_he_std)(i, o, rng).T,  # transposed in he_normal only
        xavier_normal=lambda i, o, rng: np.random.normal(0.0, _xavier_std(i, o), (o, i)),  # global state
    )
    assert _diagnosis(learner, seed=5) == ["swapped-shape", "ignores-rng"]


def _judge_messages(impl):
    return [message for _, message in _judge_failures(impl, np.random.default_rng())]


@pytest.mark.parametrize(
    "mistake_id, words",
    [
        ("variance-as-std", "standard deviation"),
        ("swapped-shape", "looks transposed"),
        ("xavier-uniform-not-normal", "not a uniform one"),
        ("ignores-rng", "same seed returned different matrices"),
    ],
)
def test_judge_messages_name_the_problem(mistake_id, words):
    messages = _judge_messages(LEARNERS[mistake_id])
    assert messages and any(words in m for m in messages), messages
