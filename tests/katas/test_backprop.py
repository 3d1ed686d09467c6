"""`backprop`: the reference agrees with PyTorch autograd and with central differences; every form of
every known mistake is named by its own id; probes say where an unknown fault lives."""

from __future__ import annotations

import types

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders, verdict
from dlprep.grading.checks import backprop as checks
from dlprep.grading.execute import ProtocolError, execute
from dlprep.katas.catalog import load

from .helpers import assert_localised_at
from .strategies import reference, rng, seeds, small

KATA = load().get("backprop")
ACTIVATIONS = ("relu", "tanh", "sigmoid")
TORCH_ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}


@st.composite
def networks(draw, activations=ACTIVATIONS):
    """(params, X, y, activation): 0 to 2 hidden layers of drawn widths, D and C drawn too."""
    hidden = draw(st.lists(small, min_size=0, max_size=2))
    sizes = [draw(small), *hidden, draw(st.integers(min_value=2, max_value=5))]
    gen = rng(draw(seeds))
    params = [
        (gen.standard_normal((n_out, n_in)) * 1.5 / np.sqrt(n_in), gen.standard_normal(n_out))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]
    N = draw(small)
    X = gen.standard_normal((N, sizes[0]))
    y = gen.integers(0, sizes[-1], size=N)
    return params, X, y, draw(st.sampled_from(activations))


def torch_loss_and_grads(params, X, y, activation):
    """F.cross_entropy on an nn.Sequential built from the same params, float64, by autograd."""
    layers = []
    for W, b in params:
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, TORCH_ACTIVATIONS[activation]()]
    model = torch.nn.Sequential(*layers[:-1])  # the last layer is linear
    loss = F.cross_entropy(model(torch.from_numpy(X)), torch.from_numpy(y))
    loss.backward()
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    return loss.item(), [(m.weight.grad.numpy(), m.bias.grad.numpy()) for m in linears]


def assert_matches_torch(params, X, y, activation, rtol=1e-10):
    loss, grads = reference("backprop").mlp_loss_and_grads(params, X, y, activation)
    want_loss, want_grads = torch_loss_and_grads(params, X, y, activation)
    assert type(loss) is float
    np.testing.assert_allclose(loss, want_loss, rtol=rtol)
    assert len(grads) == len(params)
    for l, ((dW, db), (want_dW, want_db)) in enumerate(zip(grads, want_grads)):
        assert dW.shape == params[l][0].shape and db.shape == params[l][1].shape
        assert dW.dtype == np.float64 and db.dtype == np.float64
        np.testing.assert_allclose(dW, want_dW, rtol=rtol, atol=1e-12, err_msg=f"dW of layer {l}")
        np.testing.assert_allclose(db, want_db, rtol=rtol, atol=1e-12, err_msg=f"db of layer {l}")


@settings(max_examples=25, deadline=None)
@given(networks())
def test_reference_matches_torch_autograd(network):
    params, X, y, activation = network
    before = [(W.copy(), b.copy()) for W, b in params]
    assert_matches_torch(params, X, y, activation)
    for (W, b), (W0, b0) in zip(params, before):  # read-only inputs
        assert np.array_equal(W, W0) and np.array_equal(b, b0)


@settings(max_examples=10, deadline=None)
@given(networks(), st.sampled_from([300.0, 1000.0, 3000.0]))
def test_reference_is_stable_for_logits_of_magnitude_1e3(network, gain):
    params, X, y, activation = network
    params = [*params[:-1], (params[-1][0] * gain, params[-1][1] * gain)]
    assert_matches_torch(params, X, y, activation, rtol=1e-9)


def every_entry(params):
    return [(l, k, index) for l, layer in enumerate(params) for k, p in enumerate(layer) for index in np.ndindex(p.shape)]


def hidden_preactivations(params, X, activation):
    impl = reference("backprop")
    a, zs = X, []
    for W, b in params[:-1]:
        zs.append(a @ W.T + b)
        a = impl.activate(zs[-1], activation)
    return zs


def grad_check(impl, params, X, y, activation, entries):
    """Gradient-check `impl` through the grader's own path; the failures' messages."""
    case = checks.grad_check_case("gradient check", params, X, y, activation, entries)
    actual = execute(impl, checks, case, "numpy", "cpu")
    return [d.message for d in verdict.differences_from(checks, case, actual, {}, device=None) if not d.passed]


@settings(max_examples=25, deadline=None)
@given(networks())
def test_reference_passes_central_differences_at_every_entry(network):
    params, X, y, activation = network
    if activation == "relu":  # central differences are wrong where θ ± h crosses a kink of the ReLU
        assume(all(np.abs(z).min() > 1e-3 for z in hidden_preactivations(params, X, activation)))
    assert grad_check(reference("backprop"), params, X, y, activation, every_entry(params)) == []


def _mistake(mistake_id):
    kata = load().get("backprop")
    (found,) = [m for m in loaders.mistakes(kata) if m.id == mistake_id]
    return loaders.mistake_impl(kata, found)


def _network(activation="tanh"):
    gen = rng(7)
    sizes = (4, 5, 3)
    params = [(gen.standard_normal((o, i)), gen.standard_normal(o)) for i, o in zip(sizes[:-1], sizes[1:])]
    return params, gen.standard_normal((6, 4)), gen.integers(0, 3, size=6), activation


def test_grad_check_names_the_entry_whose_gradient_disagrees_with_the_loss():
    params, X, y, activation = _network("tanh")
    messages = grad_check(_mistake("tanh-derivative"), params, X, y, activation, [(1, 0, (2, 1)), (0, 0, (4, 3))])
    # the output layer's gradients do not involve tanh': only W1 is wrong
    assert len(messages) == 1 and messages[0].startswith("`dL/dW1[4, 3]` is "), messages


def test_grad_check_is_about_consistency_with_the_learners_own_loss():
    # summed loss and summed gradients agree with each other: only the reference cases catch it
    params, X, y, activation = _network()
    assert grad_check(_mistake("sum-not-mean"), params, X, y, activation, every_entry(params)) == []
    # a mean loss with summed gradients does not
    messages = grad_check(_mistake("grads-not-averaged"), params, X, y, activation, every_entry(params))
    assert len(messages) == len(every_entry(params))


def test_grad_check_reports_a_misshapen_gradient():
    params, X, y, activation = _network()
    with pytest.raises(ProtocolError, match=r"`grads\[0\]\[0\]` has shape \(4, 5\), expected \(5, 4\)"):
        grad_check(_mistake("missing-transpose"), params, X, y, activation, [(0, 0, (1, 1))])


def test_modifying_params_in_place_is_reported():
    class Sloppy:
        @staticmethod
        def mlp_loss_and_grads(params, X, y, activation="relu"):
            loss, grads = reference("backprop").mlp_loss_and_grads(params, X, y, activation)
            params[0][1][...] = 0.0
            return loss, grads

    case = next(c for c in loaders.make_cases(load().get("backprop")) if c.compare == "reference")
    with pytest.raises(ProtocolError, match=r"modified its input `params\[0\]\[1\]` in place"):
        execute(Sloppy, checks, case, "numpy", "cpu")


def test_cases_cover_the_contract():
    cases = loaders.make_cases(load().get("backprop"))
    reference_cases = [c for c in cases if c.compare == "reference"]
    assert {c.args["activation"] for c in reference_cases} == set(ACTIVATIONS)
    assert {len(c.args["params"]) - 1 for c in reference_cases} == {0, 1, 2}
    assert 1 in {c.args["X"].shape[0] for c in reference_cases}
    assert {2} < {c.args["params"][-1][0].shape[0] for c in reference_cases}
    assert any(c.compare == "self" for c in cases)


@pytest.mark.parametrize("mistake", [m for m in loaders.mistakes(KATA) if m.predicate], ids=lambda m: m.id)
def test_a_stated_property_never_holds_for_right_outputs(mistake):
    ref = loaders.reference(KATA)
    for case in loaders.make_cases(KATA):
        outputs = {name: record["data"] for name, record in execute(ref, checks, case, "numpy", "cpu")["outputs"].items()}
        assert not mistake.predicate(case, outputs), case.name


def _through_activation(delta, z, activation):
    return delta * reference("backprop").activation_grad(z, activation)


def _relu_mask_from_delta(delta, z, activation):
    return np.where(delta > 0, delta, 0.0) if activation == "relu" else _through_activation(delta, z, activation)


def _backprop_with(*, local=_through_activation, db=lambda delta: delta.sum(axis=0), bias=True):
    """The reference with one step replaced, as an unknown mistake would replace it."""
    ref = reference("backprop")

    def mlp_loss_and_grads(params, X, y, activation="relu"):
        N, a, cache = X.shape[0], X, []
        for l, (W, b) in enumerate(params):
            z = a @ W.T + (b if bias else 0.0)
            cache.append((a, z))
            a = z if l == len(params) - 1 else ref.activate(z, activation)
        shifted = a - a.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        delta = np.exp(log_probs)
        delta[np.arange(N), y] -= 1.0
        delta /= N
        grads = []
        for l in reversed(range(len(params))):
            a_prev, z = cache[l]
            if l < len(params) - 1:
                delta = local(delta, z, activation)
            grads.append((delta.T @ a_prev, db(delta)))
            delta = delta @ params[l][0]
        return float(-log_probs[np.arange(N), y].mean()), grads[::-1]

    return types.SimpleNamespace(mlp_loss_and_grads=mlp_loss_and_grads)


@pytest.mark.parametrize("impl, probe", [
    (_backprop_with(local=_relu_mask_from_delta), "probe: a relu hidden layer"),
    (_backprop_with(db=lambda delta: 2.0 * delta.sum(axis=0)), "probe: one layer, one sample"),
    (_backprop_with(bias=False), "probe: one layer, one sample"),
], ids=["relu mask from δ", "db doubled", "biases left out"])
def test_an_unknown_fault_is_localised_by_the_first_failing_probe(impl, probe):
    assert_localised_at(KATA, impl, probe)
