"""Cases for `init`: xavier_normal(n_in, n_out, rng) and he_normal(n_in, n_out, rng) -> (n_out, n_in).

A statistical kata: `FRESH_SEED` draws new seeds on every grade, so no lucky seed lets a wrong
sampler pass. A `np.random.Generator` cannot travel to the learner's process, so every case
carries a `seed` and `run` builds `np.random.default_rng(seed)` there. Protocols (`args["protocol"]`):

- **judge** (`compare="judge"`): `run` returns the first matrix `W`, about 250 000 draws from
  repeated calls on one generator, and three facts about the generator (same seed → same W,
  another seed → another W, np.random's global state untouched). `judge` checks type, shape,
  dtype and finiteness exactly, then the mean, the variance and two tail fractions of the draws
  against the kata's formula with bounds that a correct sampler breaks with probability below
  1e-9 each (Gaussian tail for the mean, Laurent–Massart for the χ² variance, Bernstein for the
  tail counts). These give the precise messages.
- **statistics** (`compare="reference"`): one draw of 500 000 weights summarised as rms(W)/σ
  and the fraction of |W| beyond 2·rms(W). The reference's own draw gives the expected
  values; the absolute tolerance is 0.02 (`Case.scale`). Two independent correct draws differ by
  less than 0.013 (rms ratio) and 0.007 (tail fraction) except with probability below 1e-8, while
  every known mistake is ≥ 0.04 away on some output, so a submission reproducing a mistake in
  *any* arrangement of draws (transposed, standard_normal·σ, ...) matches that mistake's
  outputs: this is what diagnosis compares.
- **rng** and **layout** (`compare="reference"`): one boolean each, about both functions at once
  (so that a submission with the mistake in only one of them is diagnosed too): whether both use
  only the `rng` given, whether either returns the transpose (n_in, n_out).

False failures: at most 7e-9 per judge case and 1.2e-8 per statistics case, below 1e-7 for a
whole grade (the contract asks for less than one in a million).
"""

from __future__ import annotations

import math

import numpy as np

from dlprep.grading import compare
from dlprep.grading.checks._statistics import (
    bernstein_halfwidth,
    chi2_ratio_bounds,
    draw_seed,
    global_state,
    normal_tail,
    same_state,
)
from dlprep.grading.compare import Difference
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

FRESH_SEED = True

MEAN_Z = 6.109
"""Two-sided Gaussian bound: P(|Z| > 6.109) < 1e-9."""
TARGET_DRAWS = 250_000
"""Judge cases: call the function again on the same generator until this many weights are drawn ..."""
MAX_CALLS = 10_000
"""... or this many calls were made (a 1×1 matrix gets 10 000 draws)."""
STATS_ATOL = 0.02
"""Absolute tolerance of the statistics cases (rms ratio and tail fraction)."""

JUDGE_OUTPUTS = ("W", "draws", "same seed, same W", "another seed, another W", "np.random untouched")
RNG_OUTPUTS = ("uses only the rng given",)
LAYOUT_OUTPUTS = ("either function returns (n_in, n_out)",)
FORMULAS = {"xavier_normal": "2/(n_in + n_out)", "he_normal": "2/n_in"}


def expected_variance(call: str, n_in: int, n_out: int) -> float:
    """The kata's statement: Var(W) = 2/(n_in + n_out) (Xavier), 2/n_in (He)."""
    return 2.0 / (n_in + n_out) if call == "xavier_normal" else 2.0 / n_in


def stats_outputs(call: str) -> tuple[str, ...]:
    return (f"rms(W) / √({FORMULAS[call]})", "fraction of |W| beyond 2·rms(W)")


# -- calling the submission -------------------------------------------------------------------------


def _as_floats(W, call: str) -> np.ndarray:
    try:
        return np.asarray(W, dtype=np.float64)
    except (TypeError, ValueError):
        raise ProtocolError(f"`{call}` returned {type(W).__name__}; expected a NumPy array of shape (n_out, n_in)") from None


def _equal(a, b) -> bool:
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    except (TypeError, ValueError):
        return False


def run(impl, case: Case, args: dict):
    n_in, n_out, seed = args["n_in"], args["n_out"], args["seed"]
    protocol = args["protocol"]
    before = global_state()
    if protocol == "rng":
        ok = True
        for name in ("xavier_normal", "he_normal"):
            fn = getattr(impl, name)
            first = fn(n_in, n_out, np.random.default_rng(seed))
            again = fn(n_in, n_out, np.random.default_rng(seed))
            other = fn(n_in, n_out, np.random.default_rng(seed + 1))
            ok = ok and _equal(first, again) and not _equal(first, other)
        return bool(ok and same_state(before, global_state()))
    if protocol == "layout":
        made = [getattr(impl, name)(n_in, n_out, np.random.default_rng(seed)) for name in ("xavier_normal", "he_normal")]
        return (n_in, n_out) in [np.shape(W) for W in made]

    fn = getattr(impl, case.call)
    if protocol == "statistics":
        W = fn(n_in, n_out, np.random.default_rng(seed))
        values = _as_floats(W, case.call)
        rms = float(np.sqrt(np.mean(values**2)))
        sigma = math.sqrt(expected_variance(case.call, n_in, n_out))
        beyond = float(np.mean(np.abs(values) > 2.0 * rms))
        return rms / sigma, beyond

    # judge: repeated calls on one generator give independent draws
    gen = np.random.default_rng(seed)
    calls = min(MAX_CALLS, -(-TARGET_DRAWS // max(1, n_in * n_out)))
    matrices = [fn(n_in, n_out, gen) for _ in range(calls)]
    W = matrices[0]
    draws = np.concatenate([_as_floats(m, case.call).ravel() for m in matrices])
    again = fn(n_in, n_out, np.random.default_rng(seed))
    other = fn(n_in, n_out, np.random.default_rng(seed + 1))
    untouched = same_state(before, global_state())
    return W, draws, _equal(W, again), not _equal(W, other), untouched


# -- the judge ------------------------------------------------------------------------------------------


def judge(case: Case, outputs: dict) -> list[Difference]:
    """Exact checks of W, then the draws' statistics, then the generator's use (see the module doc)."""
    call, n_in, n_out = case.call, case.args["n_in"], case.args["n_out"]
    W = outputs["W"]
    if W is None:
        return [Difference(False, f"`{call}` must return a NumPy array; it returned something else")]
    W = np.asarray(W)
    if W.shape != (n_out, n_in):
        hint = (
            ": it looks transposed; weights follow nn.Linear's layout (n_out, n_in), so that y = x Wᵀ"
            if W.shape == (n_in, n_out)
            else ""
        )
        return [Difference(False, f"`W` has shape {W.shape}, expected (n_out, n_in) = {(n_out, n_in)}{hint}")]
    if W.dtype != np.float64:
        return [Difference(False, f"`W` has dtype {W.dtype}, expected float64")]
    if not np.isfinite(W).all():
        return [Difference(False, "`W` holds non-finite values (inf or NaN)")]
    draws = np.asarray(outputs["draws"], dtype=np.float64)
    variance = expected_variance(call, n_in, n_out)
    return [
        *_statistics(draws, variance, f"{FORMULAS[call]} = {variance:.6g}"),
        *_generator(outputs),
    ]


def _statistics(draws: np.ndarray, variance: float, formula: str) -> list[Difference]:
    n = draws.size
    sigma = math.sqrt(variance)
    where = f"over {n} weights from repeated calls"
    found = []
    ratio = float(np.mean(draws**2)) / variance  # χ²ₙ/n for a correct sampler (the mean is 0)
    low, high = chi2_ratio_bounds(n)
    found.append(
        Difference(
            low <= ratio <= high,
            f"the weights' variance (mean of W², {where}) is {ratio * variance:.6g}, {ratio:.4g}× the "
            f"expected {formula}; a correct sampler lands within [{low:.4f}, {high:.4f}]× of it except with "
            "probability below 2e-9. Is σ = √variance passed as the standard deviation?",
        )
    )
    z = float(np.mean(draws)) / (sigma / math.sqrt(n))
    found.append(
        Difference(
            abs(z) <= MEAN_Z,
            f"the weights' mean {where} is {float(np.mean(draws)):.4g}, {z:.1f} standard errors from 0; "
            f"a correct sampler stays within ±{MEAN_Z} except with probability below 1e-9: weights are centred at 0",
        )
    )
    for k in (1.0, 2.0):
        want = normal_tail(k)
        got = float(np.mean(np.abs(draws) > k * sigma))
        width = bernstein_halfwidth(n, want)
        found.append(
            Difference(
                abs(got - want) <= width,
                f"{got:.4f} of the weights lie beyond {k:g}σ (σ = √({formula})), {where}; a normal "
                f"distribution puts {want:.4f} there and a correct sampler lands within ±{width:.4f} except "
                "with probability below 2e-9: draw from a normal distribution (rng.normal), not a uniform one",
            )
        )
    return found


def _generator(outputs: dict) -> list[Difference]:
    return [
        Difference(
            bool(outputs["same seed, same W"]),
            "two calls with np.random.default_rng(seed) for the same seed returned different matrices: "
            "draw every random number from the `rng` argument, not from np.random.* or a new generator",
        ),
        Difference(
            bool(outputs["another seed, another W"]),
            "generators with different seeds gave the same matrix: the weights must come from the `rng` "
            "argument (is a seed fixed inside your function?)",
        ),
        Difference(
            bool(outputs["np.random untouched"]),
            "your function changed NumPy's global random state (np.random.seed, np.random.normal, ...): "
            "use only the `rng` argument, so that results are reproducible and independent of other code",
        ),
    ]


# -- cases ------------------------------------------------------------------------------------------------


def _judge(rng, call, n_in, n_out, note=""):
    return Case(
        name=f"{call}({n_in}, {n_out}): statistics of ~{min(TARGET_DRAWS, MAX_CALLS * n_in * n_out)} weights",
        call=call,
        args={"n_in": n_in, "n_out": n_out, "seed": draw_seed(rng), "protocol": "judge"},
        outputs=JUDGE_OUTPUTS,
        compare="judge",
        note=note,
    )


def _statistics_case(rng, call, n_in, n_out):
    return Case(
        name=f"{call}({n_in}, {n_out}): one draw summarised",
        call=call,
        args={"n_in": n_in, "n_out": n_out, "seed": draw_seed(rng), "protocol": "statistics"},
        outputs=stats_outputs(call),
        scale=STATS_ATOL / compare.TOLERANCES["float64"][1],  # absolute tolerance STATS_ATOL
        note=f"one matrix of {n_in * n_out} weights: its rms over the expected σ (1 for a correct "
        "sampler) and the fraction of weights beyond twice its rms (0.0455 for a normal distribution, 0 for "
        f"a uniform one), compared within {STATS_ATOL} (sampling noise stays below 0.013 except with "
        "probability below 1e-8)",
    )


def cases(rng: np.random.Generator) -> list[Case]:
    return [
        _judge(rng, "xavier_normal", 300, 700),
        _judge(rng, "xavier_normal", 3, 5, note="n_in ≠ n_out: the shape is (n_out, n_in) = (5, 3)"),
        _judge(rng, "xavier_normal", 1, 1, note="a single weight: variance 2/(1 + 1) = 1"),
        _judge(rng, "xavier_normal", 4096, 10, note="a wide fan-in: variance 2/4106"),
        _judge(rng, "he_normal", 700, 300, note="n_in > n_out: the variance is 2/n_in, not 2/n_out"),
        _judge(rng, "he_normal", 5, 3),
        _judge(rng, "he_normal", 1, 1, note="a single weight: variance 2/1 = 2"),
        _judge(rng, "he_normal", 10, 4096, note="n_out ≫ n_in: the variance is 2/10, not 2/4096"),
        _statistics_case(rng, "xavier_normal", 800, 625),
        _statistics_case(rng, "he_normal", 625, 800),
        Case(
            name="both functions use only the rng given",
            call="xavier_normal",
            args={"n_in": 6, "n_out": 4, "seed": draw_seed(rng), "protocol": "rng"},
            outputs=RNG_OUTPUTS,
            note="each function is called twice with np.random.default_rng(seed) and once with another seed: the "
            "same seed must give the same matrix, another seed another one, and np.random's global state must "
            "not change",
        ),
        Case(
            name="weights follow nn.Linear's layout (n_out, n_in)",
            call="xavier_normal",
            args={"n_in": 3, "n_out": 5, "seed": draw_seed(rng), "protocol": "layout"},
            outputs=LAYOUT_OUTPUTS,
            note="both functions are called with n_in = 3, n_out = 5: the weights are (n_out, n_in) = (5, 3), "
            "so that a layer computes y = x Wᵀ",
        ),
    ]
