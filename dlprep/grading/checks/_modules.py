"""What the nn.Module katas (`resnet_block`, `transformer_block`) share, run in the learner's process:
building the learner's module, counting its parameters per submodule, loading a reference state
dict built with NumPy, and collecting the output and gradients after a backward."""

from __future__ import annotations

from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case


def build_and_run(impl, case: Case, args: dict, hyper: dict, shown: str, values) -> tuple:
    """Build `case.call(**hyper)`; a structure case (no `x`) counts its parameters, a value case
    returns `values(block)`."""
    import torch

    try:
        block = getattr(impl, case.call)(**hyper)
        if not isinstance(block, torch.nn.Module):
            raise ProtocolError(f"{shown} is a {type(block).__name__}; it must subclass nn.Module")
        if "x" not in args:
            return parameter_counts(block, case)
        return values(block)
    except NotImplementedError as exc:
        raise NotImplementedError(case.call) from exc  # name the class, not __init__, forward or a submodule


def parameter_counts(block, case: Case) -> tuple:
    """For each output `parameters in NAME`, the parameters of submodule NAME (0 if absent or None)."""
    counts = []
    for name in case.outputs:
        module = block if name == "parameters in the block" else getattr(block, name.removeprefix("parameters in "), None)
        has = hasattr(module, "parameters") and callable(module.parameters)
        counts.append(sum(p.numel() for p in module.parameters()) if has else 0)
    return tuple(counts)


def load_strictly(module, state: dict, like, shown: str, naming: str) -> None:
    """Load `state` (NumPy arrays) into `module` with strict=True; explain any mismatch first."""
    import torch

    def tensor(array):
        floating = array.dtype.kind == "f"
        dtype = like.dtype if floating else torch.from_numpy(array.copy()).dtype
        if like.device.type == "meta":
            return torch.empty(array.shape, dtype=dtype, device="meta")
        return torch.from_numpy(array.copy()).to(device=like.device, dtype=dtype)

    have = {key: tuple(value.shape) for key, value in module.state_dict().items()}
    want = {key: tuple(array.shape) for key, array in state.items()}
    problems = []
    missing = [key for key in want if key not in have]
    unexpected = [key for key in have if key not in want]
    if missing:
        problems.append("missing " + ", ".join(f"`{key}`" for key in missing))
    if unexpected:
        problems.append("unexpected " + ", ".join(f"`{key}`" for key in unexpected))
    for key in want:
        if key in have and have[key] != want[key]:
            problems.append(f"`{key}` is {have[key]} in your module, expected {want[key]}")
    if problems:
        raise ProtocolError(f"a reference state dict does not load into your {shown} (strict=True): "
                            + "; ".join(problems) + f". {naming[0].upper()}{naming[1:]}.")
    try:
        module.load_state_dict({key: tensor(array) for key, array in state.items()}, strict=True)
    except RuntimeError as exc:
        raise ProtocolError(f"a reference state dict does not load into your {shown}: {exc}") from None


def backward_and_collect(module, out, inputs: dict, dout, case: Case) -> tuple:
    """Backward from `out` with `dout`, then the values `case.outputs` names, in order."""
    import torch

    if not isinstance(out, torch.Tensor):
        raise ProtocolError(f"forward returned a {type(out).__name__}; expected one tensor")
    if tuple(out.shape) != tuple(dout.shape):
        raise ProtocolError(f"forward returned shape {tuple(out.shape)}; expected {tuple(dout.shape)}")
    if not out.requires_grad:
        raise ProtocolError("the output is not connected to the input and the parameters by autograd "
                            "(no grad_fn): was something detached, or computed with .item(), .data or NumPy?")
    try:
        torch.autograd.backward(out, dout.to(device=out.device, dtype=out.dtype))
    except RuntimeError as exc:
        if "inplace operation" not in str(exc):
            raise
        raise ProtocolError(
            "the backward pass failed: your forward modified in place a tensor that autograd needs "
            "(`+=` on the output of an in-place ReLU, or `relu_()` on a saved tensor?). "
            f"PyTorch says: {str(exc).splitlines()[0]}"
        ) from None
    params = dict(module.named_parameters())
    buffers = dict(module.named_buffers())
    values = []
    for name in case.outputs:
        if name == "out":
            values.append(out)
        elif name.startswith("gradient of "):
            key = name.removeprefix("gradient of ")
            # None when no gradient reached it (unused, or detached): compared as "got None"
            values.append(inputs[key].grad if key in inputs else params[key].grad)
        else:
            values.append(buffers[name.removesuffix(" after the forward")])
    return tuple(values)
