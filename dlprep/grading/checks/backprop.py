"""Cases for `backprop`: mlp_loss_and_grads(params, X, y, activation="relu") -> (loss, grads).

Two kinds of case. Most compare the loss and every gradient with the reference. Gradient
checks (`compare="self"`) need no reference: `run` asks the submission for its gradients at a
few entries and for its own loss with each entry moved by ±h; `self_expected` turns those
losses into central differences in the grader's process, so a loss that is right with
gradients that are not is caught, and named by entry (`dL/dW1[2, 0]`; W1 is params[0][0]).
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks._numeric import GRAD_CHECK_SCALE, entry_outputs, expected_at_entries
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

H = 1e-5
"""Step of the central differences: their error, O(h²) + O(ε·|L|/h), stays near 1e-10."""


CALL_ARGS = ("params", "X", "y", "activation")


def entry_name(layer: int, kind: int, index: tuple[int, ...]) -> str:
    """`W2[0, 3]` or `b1[4]`: layers counted from 1, W1 = params[0][0], b1 = params[0][1]."""
    return f"{'Wb'[kind]}{layer + 1}[{', '.join(str(i) for i in index)}]"


def grad_check_case(name, params, X, y, activation, entries, *, h=H, note=""):
    """A `compare="self"` case: at each (layer, kind, index) in `entries`, the submission's gradient
    must equal the central difference (L(θ + h) − L(θ − h)) / 2h of its own loss."""
    entries = tuple((int(layer), int(kind), tuple(int(i) for i in index)) for layer, kind, index in entries)
    names = [entry_name(*entry) for entry in entries]
    return Case(
        name=name,
        call="mlp_loss_and_grads",
        args={"params": params, "X": X, "y": y, "activation": activation, "entries": entries, "h": h},
        outputs=entry_outputs(names),
        compare="self",
        scale=GRAD_CHECK_SCALE,
        note=note or "expected = (L(θ+h) − L(θ−h))/2h from YOUR OWN loss: your gradient disagrees with your "
        "loss at that entry; W1, b1 are params[0], W2, b2 params[1], ...",
    )


def _copy_params(params):
    return [tuple(np.array(p, copy=True) for p in layer) for layer in params]


def _check_unchanged(before, after) -> None:
    for l, (old, new) in enumerate(zip(before, after)):
        for k, (o, n) in enumerate(zip(old, new)):
            if not np.array_equal(o, np.asarray(n), equal_nan=True):
                raise ProtocolError(f"your code modified its input `params[{l}][{k}]` in place; inputs are read-only")


def _loss_of(result) -> float:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ProtocolError("mlp_loss_and_grads must return (loss, grads)")
    try:
        return float(result[0])
    except (TypeError, ValueError):
        raise ProtocolError(f"the loss must be a number, got {type(result[0]).__name__}") from None


def _grad_at(grads, params, layer: int, kind: int, index: tuple[int, ...]) -> float:
    where = f"grads[{layer}][{kind}]"
    try:
        value = np.asarray(grads[layer][kind], dtype=np.float64)
    except (TypeError, IndexError, ValueError):
        raise ProtocolError(f"`{where}` is missing: grads must be a list of (dW, db), one per layer of params") from None
    want = params[layer][kind].shape
    if value.shape != want:
        raise ProtocolError(f"`{where}` has shape {value.shape}, expected {want} (shaped like params[{layer}][{kind}])")
    return float(value[index])


def run(impl, case: Case, args: dict):
    fn = getattr(impl, case.call)
    params = args["params"]
    before = _copy_params(params)
    result = fn(**{name: args[name] for name in CALL_ARGS})
    _check_unchanged(before, params)
    if case.compare != "self":
        return result
    _loss_of(result)
    grads = result[1]
    analytic, plus, minus = [], [], []
    for layer, kind, index in args["entries"]:
        analytic.append(_grad_at(grads, params, layer, kind, index))
        for sign, losses in ((1.0, plus), (-1.0, minus)):
            moved = _copy_params(params)
            moved[layer][kind][index] += sign * args["h"]
            losses.append(_loss_of(fn(params=moved, X=args["X"].copy(), y=args["y"].copy(), activation=args["activation"])))
    return (*analytic, *plus, *minus)


def self_expected(case: Case, outputs: dict) -> dict:
    """The central difference of the submission's own loss at each entry, by name of its gradient."""
    params = case.args["params"]
    return expected_at_entries(case, outputs, [params[layer][kind][index] for layer, kind, index in case.args["entries"]])


def _params(rng, sizes, *, gain=1.5, last_gain=1.0, last_offset=0.0):
    """One (W (n_out, n_in), b (n_out,)) per layer; pre-activations of order `gain`, the logits shifted
    by `last_offset`."""
    params = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        last = l == len(sizes) - 2
        g = last_gain if last else gain
        params.append((g * rng.standard_normal((n_out, n_in)) / np.sqrt(n_in),
                       0.5 * g * rng.standard_normal(n_out) + (last_offset if last else 0.0)))
    return params


def _inputs(rng, sizes, N, **gains):
    params = _params(rng, sizes, **gains)
    X = rng.standard_normal((N, sizes[0]))
    y = rng.integers(0, sizes[-1], size=N)
    return params, X, y


def _case(rng, name, sizes, N, activation, *, note="", tags=(), probe="", blame="", **gains):
    params, X, y = _inputs(rng, sizes, N, **gains)
    return Case(
        name=name,
        call="mlp_loss_and_grads",
        args={"params": params, "X": X, "y": y, "activation": activation},
        outputs=("loss", "grads"),
        note=note,
        tags=tags,
        probe=probe,
        blame=blame,
    )


def _probes(rng) -> list[Case]:
    """From one linear layer and one sample to two hidden layers, one part more each time."""
    return [
        _case(rng, "probe: one layer, one sample", (3, 3), 1, "relu", probe="one linear layer and one sample",
              blame="look at the softmax cross-entropy and the last layer: ∂L/∂z = softmax(z) − one_hot(y), "
              "dW = δᵀa of shape (n_out, n_in), db = δ summed over the batch"),
        _case(rng, "probe: one layer, a batch of 4", (3, 3), 4, "relu", probe="a batch of 4",
              blame="look at the batch: the loss is the mean over the N samples, so δ = (softmax − one_hot) / N, "
              "and db sums δ over the samples"),
        _case(rng, "probe: a relu hidden layer", (3, 4, 3), 4, "relu", probe="a relu hidden layer",
              blame="look at the hidden layer: δ passed down as δW, then times g'(z) of that layer, (z > 0) for relu"),
        _case(rng, "probe: a tanh hidden layer", (3, 4, 3), 4, "tanh", probe="a tanh hidden layer",
              blame="look at tanh'(z) = 1 − tanh²(z)"),
        _case(rng, "probe: a sigmoid hidden layer", (3, 4, 3), 4, "sigmoid", probe="a sigmoid hidden layer",
              blame="look at σ'(z) = σ(z)(1 − σ(z))"),
        _case(rng, "probe: two hidden layers", (3, 4, 5, 3), 4, "tanh", probe="two hidden layers",
              blame="look at the loop over the layers: each layer's δ from the one above, and grads in the order of params"),
    ]


def _grad_check(rng, name, sizes, N, activation):
    """Checks one W and one b entry of every layer, drawn at random."""
    params, X, y = _inputs(rng, sizes, N)
    entries = []
    for l, (W, b) in enumerate(params):
        entries.append((l, 0, tuple(int(rng.integers(s)) for s in W.shape)))
        entries.append((l, 1, (int(rng.integers(b.shape[0])),)))
    return grad_check_case(name, params, X, y, activation, entries)


def cases(rng: np.random.Generator) -> list[Case]:
    big = "logits of magnitude ~1e3: exp(z) overflows without subtracting the row max, and p = softmax(z) " \
          "underflows to 0, so log(p) is -inf; use log p = (z - max) - log Σ exp(z - max)"
    return [
        _case(rng, "relu, 1 hidden: 5→7→3", (5, 7, 3), 8, "relu"),
        _case(rng, "tanh, 1 hidden: 4→6→3", (4, 6, 3), 6, "tanh",
              note="tanh'(z) = 1 - tanh²(z)"),
        _case(rng, "sigmoid, 1 hidden: 3→5→4", (3, 5, 4), 5, "sigmoid",
              note="σ'(z) = σ(z)(1 - σ(z)), from the activation, not from z"),
        _case(rng, "relu, 2 hidden: 6→8→5→4", (6, 8, 5, 4), 7, "relu"),
        _case(rng, "tanh, 2 hidden: 5→4→6→3", (5, 4, 6, 3), 4, "tanh"),
        _case(rng, "sigmoid, 2 hidden, 2 classes: 4→7→3→2", (4, 7, 3, 2), 6, "sigmoid"),
        _case(rng, "no hidden layer: 6→3", (6, 3), 5, "relu",
              note="one linear layer then softmax: softmax regression; no activation anywhere"),
        _case(rng, "no hidden layer, 2 classes: 3→2", (3, 2), 4, "tanh",
              note="one linear layer then softmax; the activation is not used"),
        _case(rng, "batch of one, tanh: 4→5→3", (4, 5, 3), 1, "tanh"),
        _case(rng, "batch of one, sigmoid, 2 hidden: 3→4→6→5", (3, 4, 6, 5), 1, "sigmoid"),
        _case(rng, "square layers, relu: 4→4→4", (4, 4, 4), 5, "relu",
              note="n_in = n_out: a transposed dW has the right shape here, but not the right values"),
        _case(rng, "logits ~1e3, relu: 4→6→5", (4, 6, 5), 6, "relu", last_gain=600.0, note=big, tags=("large",)),
        _case(rng, "logits ~1e3, no hidden layer: 3→2", (3, 2), 5, "sigmoid", last_gain=2500.0, note=big, tags=("large",)),
        _grad_check(rng, "gradient check, tanh, 2 hidden: 5→6→4→3", (5, 6, 4, 3), 5, "tanh"),
        _grad_check(rng, "gradient check, sigmoid, 1 hidden: 4→5→3", (4, 5, 3), 4, "sigmoid"),
        _grad_check(rng, "gradient check, relu, 2 hidden: 3→6→5→4", (3, 6, 5, 4), 6, "relu"),
        _grad_check(rng, "gradient check, no hidden layer: 4→3", (4, 3), 3, "relu"),
        _case(rng, "logits near 1e3, close together, tanh: 4→5→3", (4, 5, 3), 4, "tanh", last_offset=1000.0,
              tags=("large",), note="every logit near 1000: exp(z) overflows unless the row max is subtracted, "
              "though no probability is small"),
        *_probes(rng),
    ]
