"""Helpers that several torch kata tests share: recurrent weights copied into torch modules,
attention masks, optimizer trajectories and optimizers on the meta device, torch's own
implementation graded case by case, grading without the learner's process, and grading a forward
whose backward is still a stub."""

from __future__ import annotations

import types

import numpy as np
import torch

from dlprep import paths
from dlprep.grading import grader, loaders
from dlprep.grading.authoring import grade_in_process
from dlprep.grading.execute import execute


def recurrent_params(gen, I, H, bias, *, gates, requires_grad=False):
    """float64 (W_ih, W_hh, b_ih, b_hh), each `gates` blocks of H rows, as nn.RNN/GRU/LSTM stack them;
    the biases are None without `bias`."""
    W_ih = torch.randn(gates * H, I, generator=gen, dtype=torch.float64)
    W_hh = torch.randn(gates * H, H, generator=gen, dtype=torch.float64)
    b_ih = torch.randn(gates * H, generator=gen, dtype=torch.float64) if bias else None
    b_hh = torch.randn(gates * H, generator=gen, dtype=torch.float64) if bias else None
    params = (W_ih, W_hh, b_ih, b_hh)
    return tuple(p.requires_grad_() if p is not None else None for p in params) if requires_grad else params


def load_recurrent(module, W_ih, W_hh, b_ih, b_hh, suffix=""):
    """Copy the weights into a torch recurrent module (`suffix` "_l0", "_l0_reverse" for nn.RNN & co.)."""
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(W_ih)
        getattr(module, "weight_hh" + suffix).copy_(W_hh)
        if b_ih is not None:
            getattr(module, "bias_ih" + suffix).copy_(b_ih)
            getattr(module, "bias_hh" + suffix).copy_(b_hh)


def meta_recurrent_params(I, H, bias, *, gates):
    """float32 (W_ih, W_hh, b_ih, b_hh) on the meta device, shaped as `recurrent_params` shapes them."""
    meta = {"device": "meta", "dtype": torch.float32}
    W_ih, W_hh = torch.empty(gates * H, I, **meta), torch.empty(gates * H, H, **meta)
    b_ih, b_hh = (torch.empty(gates * H, **meta), torch.empty(gates * H, **meta)) if bias else (None, None)
    return W_ih, W_hh, b_ih, b_hh


def grads(outputs, upstream, inputs):
    return torch.autograd.grad(outputs, inputs, upstream)


def assert_all_close(actual, expected):
    """Pairwise agreement to float64 round-off: the references follow the torch modules' formulas."""
    for a, e in zip(actual, expected, strict=True):
        torch.testing.assert_close(a, e, rtol=1e-10, atol=1e-12)


def bool_mask(kind, B, L, S, gen):
    """None, an (L, S) or a (B, L, S) bool mask (True = may attend) that hides no whole row."""
    if kind == "none":
        return None
    shape = (L, S) if kind == "2d" else (B, L, S)
    mask = torch.rand(shape, generator=gen) < 0.5
    keep = torch.randint(S, shape[:-1], generator=gen)
    return mask.scatter(-1, keep.unsqueeze(-1), True)


def params_and_grads(r, shapes, steps, grad_size):
    """NumPy parameters of `shapes`, and `steps` rows of gradients for them: some None (skipped),
    some all zero, the rest of size about `grad_size`."""
    params = [r.standard_normal(shape) for shape in shapes]
    grads = [
        [None if r.random() < 0.2 else (r.standard_normal(shape) * grad_size if r.random() < 0.9 else np.zeros(shape))
         for shape in shapes]
        for _ in range(steps)
    ]
    return params, grads


def trajectories(cls, params, grads, dtype=torch.float64, **kwargs):
    """Parameters after every step of `cls` fed the gradient sequence `grads` (None = skipped)."""
    leaves = [torch.tensor(p, dtype=dtype, requires_grad=True) for p in params]
    optimizer = cls((p for p in leaves), **kwargs)
    history = []
    for row in grads:
        for p, g in zip(leaves, row):
            p.grad = None if g is None else torch.tensor(g, dtype=dtype)
        optimizer.step()
        optimizer.zero_grad()
        history.append([p.detach().clone() for p in leaves])
    return history


def meta_params(dtype):
    """A matrix and a scalar on the meta device, with gradients: shapes without data."""
    return [torch.empty(3, 4, dtype=dtype, device="meta", requires_grad=True),
            torch.empty((), dtype=dtype, device="meta", requires_grad=True)]


def step_on_meta(optimizer, params, dtype):
    """Three steps on `meta_params(dtype)`; the parameters keep device, dtype and shape, grads end cleared."""
    for _ in range(3):
        for p in params:
            p.grad = torch.empty_like(p)
        optimizer.step()
        optimizer.zero_grad()
    for p, shape in zip(params, [(3, 4), ()]):
        assert p.device.type == "meta" and p.dtype == dtype and tuple(p.shape) == shape and p.grad is None


def torch_optim_impl(classes, **options):
    """A stand-in submission whose optimizers are torch.optim's `classes`, built with `options` too."""
    return types.SimpleNamespace(**{name: (lambda p, _c=cls, **kw: _c(p, **options, **kw)) for name, cls in classes.items()})


def assert_passes_every_case(kata, impl):
    """`impl` passes each of the kata's cases, judged against the reference as the grader judges."""
    report = grade_in_process(kata, impl)
    assert report.passed, [(c.name, c.message) for c in report.checks if not c.passed]


def grade_with_stub_backward(kata, tmp_path):
    """The grade of the reference with `<kata>_backward` still a stub: the forward written, the backward not."""
    source = paths.reference(kata.id).read_text()
    stubbed = source.split(f"def {kata.id}_backward")[0] + f"def {kata.id}_backward(dout, cache):\n    raise NotImplementedError\n"
    submission = tmp_path / f"{kata.id}.py"
    submission.write_text(stubbed)
    return grader.grade(kata, submission, ["cpu"])


def assert_localised_at(kata, impl, probe: str):
    """`impl` has a fault no known mistake describes: nothing is named, the first failing probe is
    `probe`, and the localisation says every probe before it was right."""
    report = grade_in_process(kata, impl)
    assert not report.passed and report.diagnosis == []
    assert report.localisation is not None and report.localisation.case == probe
    probes = [case for case in loaders.make_cases(kata) if case.probe]
    earlier = probes[: [case.name for case in probes].index(probe)]
    right = report.localisation.message.split("; wrong with ")[0]
    assert all(case.probe in right for case in earlier), report.localisation.message


def assert_predicate_fires_on_large_cases_alone(kata, mistake_id: str, bad_value: float):
    """A mistake stated as a property (overflow: non-finite outputs on the large-magnitude cases)
    holds for no reference output, and for a `bad_value` in any output exactly on the large cases."""
    from dlprep.grading import compare

    unstable = next(m for m in loaders.mistakes(kata) if m.id == mistake_id)
    checks, cases, ref_impl = loaders.checks_module(kata), loaders.make_cases(kata), loaders.reference(kata)
    for case in cases:
        assert ("large" in case.tags) == (compare.scale_of(case.args) > 20), case.name
        outputs = {name: record["data"] for name, record in execute(ref_impl, checks, case, kata.framework, "cpu")["outputs"].items()}
        assert not unstable.predicate(case, outputs), case.name
        for name, value in outputs.items():
            spoiled = value.copy()
            spoiled.flat[0] = bad_value
            assert unstable.predicate(case, {**outputs, name: spoiled}) is ("large" in case.tags), (case.name, name)
