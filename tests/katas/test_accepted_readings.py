"""Where the contract leaves a choice, every right reading passes and the wrong one beside it fails.

Each test pairs a right answer the reference does not give (float64 out of a NumPy kata, a NaN
gradient where BCE's clamp defines only the value, another subgradient at a kink or a tie, the
distance without PyTorch's eps) with the mistake next to it, which must still fail and be named.
"""

from __future__ import annotations

import types

import numpy as np
import pytest
import torch

from dlprep.grading import loaders
from dlprep.katas.catalog import load

from .helpers import grade_in_process

REF = {kata_id: loaders.reference(load().get(kata_id)) for kata_id in ("softmax", "pooling", "regression_losses", "metric_losses", "classification_losses")}


def submission(kata_id: str, **functions):
    """The reference with some functions replaced, as a learner's module would be."""
    ref = REF[kata_id]
    names = {name: getattr(ref, name) for name in load().get(kata_id).functions}
    return types.SimpleNamespace(**{**names, **functions})


def grade(kata_id: str, impl):
    return grade_in_process(load().get(kata_id), impl)


def failures(report):
    return [(c.name, c.message) for c in report.checks if not c.passed]


def test_numpy_float64_out_for_float32_in_passes_with_a_note_and_float16_fails():
    ref = REF["softmax"]
    wide = grade("softmax", submission("softmax", softmax=lambda z, axis=-1: ref.softmax(np.asarray(z, dtype=np.float64), axis)))
    assert wide.passed, failures(wide)
    assert any("came back as float64 for float32" in note for note in wide.notes)
    narrow = grade("softmax", submission("softmax", softmax=lambda z, axis=-1: ref.softmax(z, axis).astype(np.float16)))
    assert not narrow.passed
    assert any("dtype float16" in message for _, message in failures(narrow))


def test_bce_gradient_at_the_clamp_is_not_compared_but_inside_it_is():
    def autograd_through_clamp(p, y):
        log_p, log_1mp = torch.log(p).clamp(min=-100), torch.log1p(-p).clamp(min=-100)
        return -(y * log_p + (1 - y) * log_1mp).mean()  # NaN gradient at p = 0 and 1

    faithful = grade("classification_losses", submission("classification_losses", binary_cross_entropy=autograd_through_clamp))
    assert faithful.passed, failures(faithful)

    def doubled_gradient(p, y):
        loss = autograd_through_clamp(p, y)
        return loss + (loss - loss.detach())  # the same value, twice the gradient everywhere

    broken = grade("classification_losses", submission("classification_losses", binary_cross_entropy=doubled_gradient))
    assert not broken.passed
    assert all("gradient" in message for _, message in failures(broken))


@pytest.mark.parametrize("slope", ["0", "+1", "-1"])
def test_l1_accepts_every_subgradient_at_zero(slope):
    def l1_loss(pred, target):
        d = pred - target
        if slope == "0":
            return d.abs().mean()
        return (torch.where(d >= 0, d, -d) if slope == "+1" else torch.where(d > 0, d, -d)).mean()

    report = grade("regression_losses", submission("regression_losses", l1_loss=l1_loss))
    assert report.passed, failures(report)


def test_l1_with_a_nan_gradient_at_zero_fails_and_is_named():
    report = grade("regression_losses", submission("regression_losses", l1_loss=lambda pred, target: ((pred - target) ** 2).sqrt().mean()))
    assert not report.passed and [d.mistake for d in report.diagnosis] == ["l1-sqrt-of-square"]


def _max_pool_with_routing(route):
    def max_pool2d_forward(x, kernel, stride):
        out, _ = REF["pooling"].max_pool2d_forward(x, kernel, stride)
        return out, (x, kernel, stride)

    def max_pool2d_backward(dout, cache):
        x, kernel, stride = cache
        dx = np.zeros(x.shape, dtype=dout.dtype)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                window = x[:, :, i * stride:i * stride + kernel, j * stride:j * stride + kernel]
                hit = window == window.max(axis=(2, 3), keepdims=True)
                dx[:, :, i * stride:i * stride + kernel, j * stride:j * stride + kernel] += route(hit) * dout[:, :, i:i + 1, j:j + 1]
        return dx

    return {"max_pool2d_forward": max_pool2d_forward, "max_pool2d_backward": max_pool2d_backward}


def _last(hit):
    flat = hit.reshape(*hit.shape[:2], -1)
    last = flat.shape[-1] - 1 - flat[..., ::-1].argmax(-1)
    return (np.arange(flat.shape[-1]) == last[..., None]).reshape(hit.shape)


@pytest.mark.parametrize("route, passes", [
    (_last, True),
    (lambda hit: hit / hit.sum(axis=(2, 3), keepdims=True), True),
    (lambda hit: hit.astype(float), False),  # the full gradient to every tied maximum
])
def test_max_pool_ties_accept_any_subgradient_but_not_copies(route, passes):
    report = grade("pooling", submission("pooling", **_max_pool_with_routing(route)))
    assert report.passed is passes, failures(report)
    if not passes:
        assert [d.mistake for d in report.diagnosis] == ["grad-to-all-maxima"]


def test_triplet_distance_without_eps_passes_and_with_a_nan_gradient_fails():
    def triplet(distance):
        def triplet_loss(anchor, positive, negative, margin=1.0):
            return (distance(anchor, positive) - distance(anchor, negative) + margin).clamp(min=0).mean()
        return triplet_loss

    plain = grade("metric_losses", submission("metric_losses", triplet_loss=triplet(lambda x, y: torch.linalg.vector_norm(x - y, dim=-1))))
    assert plain.passed, failures(plain)
    nan = grade("metric_losses", submission("metric_losses", triplet_loss=triplet(lambda x, y: ((x - y) ** 2).sum(-1).sqrt())))
    assert [d.mistake for d in nan.diagnosis] == ["triplet-sqrt-no-eps"]
