"""Cases for `resnet_block`: class BasicBlock(in_channels, out_channels, stride=1), an nn.Module.

Two kinds of case, both built by `run` in the learner's process:

- structure cases construct the block and count the parameters of each torchvision-named
  submodule (conv1, bn1, conv2, bn2, downsample) and of the whole block. They load nothing,
  so a block with extra or missing parameters still gets a result (and a diagnosis);
- value cases construct the block, move it to the case's device and dtype, load a state dict
  built here with NumPy (torchvision's names and shapes) with `strict=True`, set train or
  eval mode, run the forward on `x`, then a backward with the upstream gradient `dout`.
  They return the output, the gradients of x and of every parameter, and in training the
  BatchNorm running statistics after the forward. A state dict that does not load is
  reported with the missing, unexpected and mis-shaped keys.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks._modules import backward_and_collect, build_and_run, load_strictly
from dlprep.grading.spec import Case

SUBMODULES = ("conv1", "bn1", "conv2", "bn2", "downsample")
HYPER = ("in_channels", "out_channels", "stride")
NAMING = (
    "name the submodules as torchvision's BasicBlock: conv1, bn1, conv2, bn2 (3×3 convs with bias=False) "
    "and downsample (None, or nn.Sequential(1×1 conv with bias=False, BatchNorm2d) when stride != 1 or "
    "in_channels != out_channels)"
)


# ---------------------------------------------------------------------------------------------
# run: the learner's process calls this for every case


def run(impl, case: Case, args: dict):
    hyper = {name: args[name] for name in HYPER}
    shown = f"{case.call}({hyper['in_channels']}, {hyper['out_channels']}, stride={hyper['stride']})"
    return build_and_run(impl, case, args, hyper, shown, lambda block: _values(block, case, args, shown))


def _values(block, case: Case, args: dict, shown: str) -> tuple:
    x, dout = args["x"], args["dout"]
    block = block.to(device=x.device, dtype=x.dtype)
    load_strictly(block, args["state"], x, shown, NAMING)
    block.train(bool(args["training"]))
    x.requires_grad_()
    out = block(x)
    return backward_and_collect(block, out, {"x": x}, dout, case)


# ---------------------------------------------------------------------------------------------
# cases: NumPy only


def _bn(rng, prefix: str, channels: int) -> dict:
    return {
        f"{prefix}.weight": rng.uniform(0.5, 1.5, channels),  # γ
        f"{prefix}.bias": rng.standard_normal(channels) * 0.3,  # β
        f"{prefix}.running_mean": rng.standard_normal(channels) * 0.3,
        f"{prefix}.running_var": rng.uniform(0.5, 2.0, channels),
        f"{prefix}.num_batches_tracked": np.array(7, dtype=np.int64),
    }


def _state(rng, c_in: int, c_out: int, projection: bool) -> dict:
    """torchvision's BasicBlock state dict: He-initialised convs, BatchNorms away from their defaults."""
    state = {"conv1.weight": rng.standard_normal((c_out, c_in, 3, 3)) * np.sqrt(2 / (9 * c_in))}
    state |= _bn(rng, "bn1", c_out)
    state["conv2.weight"] = rng.standard_normal((c_out, c_out, 3, 3)) * np.sqrt(2 / (9 * c_out))
    state |= _bn(rng, "bn2", c_out)
    if projection:
        state["downsample.0.weight"] = rng.standard_normal((c_out, c_in, 1, 1)) * np.sqrt(2 / c_in)
        state |= _bn(rng, "downsample.1", c_out)
    return state


def _value_case(rng, c_in, c_out, stride, *, batch=2, size=(6, 6), training=True, dtype="float64",
                nonnegative=False, note=""):
    H, W = size
    H_out, W_out = (H - 1) // stride + 1, (W - 1) // stride + 1  # 3×3, padding 1
    projection = stride != 1 or c_in != c_out
    state = _state(rng, c_in, c_out, projection)
    x = rng.standard_normal((batch, c_in, H, W))
    if nonnegative:
        x = np.maximum(x, 0.0)
    params = [key for key in state if not key.rsplit(".", 1)[1].startswith(("running_", "num_batches"))]
    outputs = ["out", "gradient of x", *(f"gradient of {key}" for key in params)]
    if training:
        outputs += [f"{key} after the forward" for key in state if ".running_" in key]
    mode = "training" if training else "eval"
    return Case(
        name=f"BasicBlock({c_in}, {c_out}, stride={stride}), {mode}, x {batch}×{c_in}×{H}×{W}"
             + (", float32" if dtype == "float32" else ""),
        call="BasicBlock",
        args={"in_channels": c_in, "out_channels": c_out, "stride": stride, "training": training,
              "x": x, "state": state, "dout": rng.standard_normal((batch, c_out, H_out, W_out))},
        dtype=dtype,
        outputs=tuple(outputs),
        note=note,
    )


def _structure_case(c_in, c_out, stride, note=""):
    return Case(
        name=f"parameters of BasicBlock({c_in}, {c_out}, stride={stride})",
        call="BasicBlock",
        args={"in_channels": c_in, "out_channels": c_out, "stride": stride},
        outputs=(*(f"parameters in {name}" for name in SUBMODULES), "parameters in the block"),
        note=note or "conv1 9·C_in·C_out, bn1 2·C_out, conv2 9·C_out², bn2 2·C_out, and downsample "
                     "C_in·C_out + 2·C_out when stride != 1 or C_in != C_out (else None: 0); no conv biases",
    )


def cases(rng: np.random.Generator) -> list[Case]:
    return [
        _value_case(rng, 4, 4, 1, size=(5, 5),
                    note="identity shortcut: same channels, stride 1, downsample is None"),
        _value_case(rng, 4, 8, 2, size=(6, 6),
                    note="stride 2 and more channels: the stride is on conv1 (and on the 1×1 downsample conv)"),
        _value_case(rng, 3, 6, 1, size=(4, 5),
                    note="stride 1 but C_in != C_out: the shortcut still needs the 1×1 projection"),
        _value_case(rng, 6, 6, 2, size=(7, 5),
                    note="stride 2, same channels: odd sizes, H' = ⌊(H − 1)/2⌋ + 1; the shortcut needs the projection"),
        _value_case(rng, 4, 8, 2, size=(6, 6), training=False,
                    note="eval mode: BatchNorm uses the loaded running statistics"),
        _value_case(rng, 5, 5, 1, size=(4, 4), training=False, nonnegative=True,
                    note="eval mode, identity shortcut, x ≥ 0 as after a previous block's ReLU"),
        _value_case(rng, 2, 4, 2, batch=1, size=(5, 7),
                    note="a batch of one: BatchNorm2d averages over N·H·W, so training still works"),
        _value_case(rng, 4, 8, 2, size=(6, 6), dtype="float32"),
        _value_case(rng, 6, 6, 1, size=(5, 4), training=False, dtype="float32"),
        _structure_case(4, 4, 1),
        _structure_case(4, 8, 2),
        _structure_case(3, 6, 1),
        _structure_case(8, 8, 2),
        _structure_case(16, 32, 2),
    ]
