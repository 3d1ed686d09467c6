"""Cases for `inception_block`: class Inception(in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5,
pool_proj), an nn.Module named as torchvision's GoogLeNet Inception.

Three kinds of case, all built by `run` in the learner's process:

- structure cases construct the module and count the parameters of branch1 … branch4 and of
  the whole module, loading nothing, so a module with extra or missing parameters still gets
  a result (and a diagnosis);
- branch cases load a reference state dict built here with NumPy (torchvision's names and
  shapes) with `strict=True`, switch to eval mode and return what each branch gives on `x`
  on its own: a pool branch that changes H and W shows there even though its output can no
  longer be concatenated;
- value cases load the state dict, set train or eval mode, run the forward on `x`, then a
  backward with the upstream gradient `dout`. They return the output, the gradients of x and
  of every parameter, and in training the BatchNorm running statistics after the forward.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks._modules import backward_and_collect, build_and_run, load_strictly
from dlprep.grading.spec import Case

BRANCHES = ("branch1", "branch2", "branch3", "branch4")
HYPER = ("in_channels", "ch1x1", "ch3x3red", "ch3x3", "ch5x5red", "ch5x5", "pool_proj")
NAMING = (
    "name the submodules as torchvision's Inception: branch1 = BasicConv2d(C_in, ch1x1, kernel_size=1); "
    "branch2 = nn.Sequential(BasicConv2d 1×1 to ch3x3red, BasicConv2d 3×3 padding 1 to ch3x3); branch3 the same "
    "with ch5x5red and ch5x5 (a 3×3 kernel too); branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1, "
    "ceil_mode=True), BasicConv2d 1×1 to pool_proj); each BasicConv2d holds `conv` (nn.Conv2d, bias=False) and "
    "`bn` (nn.BatchNorm2d, eps=0.001)"
)


# ---------------------------------------------------------------------------------------------
# run: the learner's process calls this for every case


def run(impl, case: Case, args: dict):
    hyper = {name: args[name] for name in HYPER}
    shown = f"{case.call}({', '.join(str(hyper[name]) for name in HYPER)})"
    return build_and_run(impl, case, args, hyper, shown, lambda block: _values(block, case, args, shown))


def _values(block, case: Case, args: dict, shown: str) -> tuple:
    import torch

    x = args["x"]
    block = block.to(device=x.device, dtype=x.dtype)
    load_strictly(block, args["state"], x, shown, NAMING)
    block.train(bool(args["training"]))
    if "dout" not in args:
        with torch.no_grad():  # the state dict loaded, so every branch exists under its name
            return tuple(getattr(block, name)(x) for name in BRANCHES)
    x.requires_grad_()
    out = block(x)
    return backward_and_collect(block, out, {"x": x}, args["dout"], case)


# ---------------------------------------------------------------------------------------------
# cases: NumPy only


def _unit(rng, prefix: str, c_in: int, c_out: int, kernel: int, small_variance: bool) -> dict:
    """One BasicConv2d: a He-initialised conv without bias and a BatchNorm away from its defaults."""
    fan_in = c_in * kernel * kernel
    low, high = (0.004, 0.02) if small_variance else (0.5, 2.0)
    return {
        f"{prefix}.conv.weight": rng.standard_normal((c_out, c_in, kernel, kernel)) * np.sqrt(2 / fan_in),
        f"{prefix}.bn.weight": rng.uniform(0.5, 1.5, c_out),  # γ
        f"{prefix}.bn.bias": rng.standard_normal(c_out) * 0.3,  # β
        f"{prefix}.bn.running_mean": rng.standard_normal(c_out) * 0.3,
        f"{prefix}.bn.running_var": rng.uniform(low, high, c_out),
        f"{prefix}.bn.num_batches_tracked": np.array(11, dtype=np.int64),
    }


def _state(rng, widths: dict, small_variance: bool) -> dict:
    """torchvision's Inception state dict, in its order: branch1, branch2.0/.1, branch3.0/.1, branch4.1."""
    c_in = widths["in_channels"]
    units = [
        ("branch1", c_in, widths["ch1x1"], 1),
        ("branch2.0", c_in, widths["ch3x3red"], 1),
        ("branch2.1", widths["ch3x3red"], widths["ch3x3"], 3),
        ("branch3.0", c_in, widths["ch5x5red"], 1),
        ("branch3.1", widths["ch5x5red"], widths["ch5x5"], 3),  # torchvision's 3×3 in the branch named 5×5
        ("branch4.1", c_in, widths["pool_proj"], 1),  # branch4.0 is the max pool: no state
    ]
    state = {}
    for prefix, c_from, c_to, kernel in units:
        state |= _unit(rng, prefix, c_from, c_to, kernel, small_variance)
    return state


def _widths(channels) -> dict:
    return dict(zip(HYPER, channels))


def _title(widths: dict) -> str:
    return f"Inception({', '.join(str(widths[name]) for name in HYPER)})"


def _value_case(rng, channels, *, batch=2, size=(5, 5), training=True, dtype="float64", small_variance=False,
                nonnegative=False, note=""):
    widths = _widths(channels)
    H, W = size
    state = _state(rng, widths, small_variance)
    x = rng.standard_normal((batch, widths["in_channels"], H, W))
    if nonnegative:
        x = np.maximum(x, 0.0)
    c_out = widths["ch1x1"] + widths["ch3x3"] + widths["ch5x5"] + widths["pool_proj"]
    params = [key for key in state if key.rsplit(".", 1)[1] in ("weight", "bias")]
    outputs = ["out", "gradient of x", *(f"gradient of {key}" for key in params)]
    if training:
        outputs += [f"{key} after the forward" for key in state if ".running_" in key]
    mode = "training" if training else "eval"
    return Case(
        name=f"{_title(widths)}, {mode}, x {batch}×{widths['in_channels']}×{H}×{W}"
             + (", float32" if dtype == "float32" else ""),
        call="Inception",
        args={**widths, "training": training, "x": x, "state": state,
              "dout": rng.standard_normal((batch, c_out, H, W))},
        dtype=dtype,
        outputs=tuple(outputs),
        note=note,
    )


def _branch_case(rng, channels, *, size, dtype="float64", note=""):
    widths = _widths(channels)
    H, W = size
    return Case(
        name=f"each branch of {_title(widths)} on its own, eval, x 2×{widths['in_channels']}×{H}×{W}"
             + (", float32" if dtype == "float32" else ""),
        call="Inception",
        args={**widths, "training": False, "x": rng.standard_normal((2, widths["in_channels"], H, W)),
              "state": _state(rng, widths, small_variance=False)},
        dtype=dtype,
        outputs=tuple(f"{name} output" for name in BRANCHES),
        note=note or "every branch keeps H and W: branch1 (N, ch1x1, H, W), branch2 (N, ch3x3, H, W), branch3 "
                     "(N, ch5x5, H, W), branch4 = 3×3 max pool with stride 1 and padding 1, then 1×1: "
                     "(N, pool_proj, H, W)",
    )


def _structure_case(channels, note=""):
    widths = _widths(channels)
    return Case(
        name=f"parameters of {_title(widths)}",
        call="Inception",
        args=widths,
        outputs=(*(f"parameters in {name}" for name in BRANCHES), "parameters in the block"),
        note=note or "each BasicConv2d has k²·C_in·C_out conv weights (no bias) and 2·C_out BatchNorm parameters: "
                     "branch1 1×1, branch2 1×1 + 3×3, branch3 1×1 + 3×3 (torchvision's kernel), branch4 1×1 "
                     "after a pool without parameters",
    )


def cases(rng: np.random.Generator) -> list[Case]:
    return [
        _value_case(rng, (6, 4, 3, 5, 2, 3, 2), size=(5, 5),
                    note="four branches concatenated on channels: ch1x1 + ch3x3 + ch5x5 + pool_proj = 14"),
        _value_case(rng, (5, 2, 4, 3, 3, 4, 3), size=(4, 7),
                    note="odd and unequal H, W: every branch, the pool included, keeps them"),
        _value_case(rng, (4, 3, 2, 3, 2, 2, 3), size=(6, 5), training=False, small_variance=True,
                    note="eval mode with running variances near 0.01: BatchNorm's eps (0.001, as torchvision's) "
                         "matters"),
        _value_case(rng, (6, 4, 3, 5, 2, 3, 2), size=(5, 4), training=False, nonnegative=True,
                    note="eval mode, x ≥ 0 as after a previous ReLU"),
        _value_case(rng, (3, 2, 2, 3, 1, 2, 2), batch=1, size=(3, 4),
                    note="a batch of one: BatchNorm2d averages over N·H·W, so training still works"),
        _value_case(rng, (6, 4, 3, 5, 2, 3, 2), size=(5, 6), dtype="float32"),
        _value_case(rng, (5, 2, 4, 3, 3, 4, 3), size=(4, 4), training=False, small_variance=True, dtype="float32"),
        _branch_case(rng, (5, 3, 2, 4, 2, 3, 2), size=(6, 7)),
        _branch_case(rng, (4, 2, 3, 2, 2, 3, 4), size=(5, 5), dtype="float32"),
        _structure_case((6, 4, 3, 5, 2, 3, 2)),
        _structure_case((192, 64, 96, 128, 16, 32, 32),
                        note="GoogLeNet's inception3a: 155,872 parameters with the 3×3 kernel in branch3 (a 5×5 "
                             "there would add 16·16·32 = 8,192)"),
        _structure_case((8, 1, 2, 3, 4, 5, 6)),
    ]
