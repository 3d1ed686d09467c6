"""Calls an implementation on one case and describes what came back.

The same code runs in the learner's process (on the submission) and in the grader's (on the
reference and the known mistakes), so both sides are called and described identically.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any, Callable

import numpy as np

from dlprep.grading.spec import DEVICE, Case
from dlprep.grading.wire import DTYPES


class ProtocolError(Exception):
    """The submission returned something the kata's signature rules out."""


def materialize(case: Case, framework: str, device: str) -> dict[str, Any]:
    """The case's arguments as the implementation receives them: fresh copies, on `device`."""
    if framework != "torch":
        return {name: _as_numpy(value, case.dtype) for name, value in case.args.items()}
    import torch

    dtype = getattr(torch, case.dtype)

    def convert(value: Any, requires_grad: bool) -> Any:
        if isinstance(value, np.ndarray):
            tensor = torch.from_numpy(value.copy())
            if value.dtype.kind == "f":
                tensor = tensor.to(dtype=dtype)
            tensor = tensor.to(device)
            return tensor.requires_grad_(requires_grad and tensor.is_floating_point())
        if isinstance(value, (list, tuple)):
            return type(value)(convert(v, requires_grad) for v in value)
        return device if value == DEVICE else value

    return {name: convert(value, name in case.grad) for name, value in case.args.items()}


def _as_numpy(value: Any, dtype: str) -> Any:
    if isinstance(value, np.ndarray):
        return value.astype(dtype) if value.dtype.kind == "f" else value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_as_numpy(v, dtype) for v in value)
    return value


def describe(value: Any) -> dict[str, Any]:
    """A plain record of a returned value: kind, dtype, device, shape and data.

    Nothing of the value's own is trusted: a Tensor subclass could make `detach` or `shape` say
    anything, so only plain tensors are described, through the base class's methods."""
    if value is None:
        return {"kind": "none"}
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        if type(value) not in (torch.Tensor, torch.nn.Parameter):
            raise ProtocolError(f"returned a {type(value).__name__}, a subclass of torch.Tensor: return plain tensors")
        tensor = torch.Tensor.detach(value)
        dtype = str(tensor.dtype).removeprefix("torch.")
        data = None
        if tensor.device.type != "meta" and dtype in DTYPES:
            data = torch.Tensor.numpy(torch.Tensor.resolve_conj(torch.Tensor.cpu(tensor))).copy()
        return {"kind": "tensor", "dtype": dtype, "device": tensor.device.type, "shape": list(tensor.shape), "data": data}
    if isinstance(value, np.ndarray):
        array = np.array(value, copy=True)  # a plain ndarray, whatever subclass came back
        return {"kind": "ndarray", "dtype": str(array.dtype), "shape": list(array.shape), "data": array}
    if isinstance(value, (bool, np.bool_)):
        return {"kind": "bool", "data": np.asarray(bool(value))}
    if isinstance(value, (int, float, np.integer, np.floating)):
        return {"kind": "scalar", "dtype": type(value).__name__, "shape": [], "data": np.asarray(float(value))}
    return {"kind": "other", "type": type(value).__name__}


def flatten(value: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Name each returned value: `output`, `weights`, or `grads[0][1]` inside sequences."""
    if len(names) == 1:
        return _flatten_into({}, names[0], value, nested=False)
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        count = len(value) if isinstance(value, (tuple, list)) else 1
        raise ProtocolError(f"returned {count} value{'s' if count != 1 else ''}, expected {len(names)} ({', '.join(names)})")
    flat: dict[str, Any] = {}
    for name, item in zip(names, value):
        _flatten_into(flat, name, item, nested=True)
    return flat


def _flatten_into(flat: dict[str, Any], name: str, value: Any, nested: bool) -> dict[str, Any]:
    if nested and isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            _flatten_into(flat, f"{name}[{index}]", item, nested=True)
    else:
        flat[name] = value
    return flat


def call(impl: ModuleType, checks: ModuleType, case: Case, args: dict[str, Any]) -> Any:
    run = getattr(checks, "run", None)
    if run is not None:
        return run(impl, case, args)
    return getattr(impl, case.call)(**args)


def execute(
    impl: ModuleType, checks: ModuleType, case: Case, framework: str, device: str,
    on_outputs: Callable[[dict], None] | None = None, backward: bool = True,
) -> dict[str, Any]:
    """Run `case` on `impl`; return described outputs, input gradients and inputs afterwards.

    `on_outputs` sees the returned values before anything else touches them (the learner's
    process checks where they live); `backward=False` skips the gradients (diagnosis needs
    them only when the outputs are right)."""
    args = materialize(case, framework, device)
    flat = flatten(call(impl, checks, case, args), case.outputs)
    if on_outputs is not None:
        on_outputs(flat)
    grads = _backward(flat, case, args) if case.grad and backward else {}
    return {
        "outputs": {name: describe(value) for name, value in flat.items()},
        "grads": grads,
        "inputs_after": {
            name: describe(value)
            for arg, given in args.items()
            for name, value in _flatten_into({}, arg, given, nested=True).items()
            if _is_array(value)
        },
    }


def _is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) or type(value).__module__.startswith("torch")


def _backward(flat: dict[str, Any], case: Case, args: dict[str, Any]) -> dict[str, Any]:
    import torch

    floating = [(name, v) for name, v in flat.items() if isinstance(v, torch.Tensor) and v.is_floating_point()]
    if len(floating) != len(case.upstream):
        raise ProtocolError(f"returned {len(floating)} floating tensor(s); expected {len(case.upstream)}")
    for name, value in floating:
        if value.grad_fn is None and not value.requires_grad:
            raise ProtocolError(
                f"`{name}` is not connected to the inputs by autograd (no grad_fn): "
                "was something detached, or computed with .item(), .data or NumPy?"
            )
    torch.autograd.backward(
        [value for _, value in floating],
        [torch.as_tensor(g, dtype=value.dtype, device=value.device) for g, (_, value) in zip(case.upstream, floating)],
    )
    grads: dict[str, Any] = {}
    for name in case.grad:
        _collect_grads(grads, name, args[name])
    return grads


def _collect_grads(grads: dict[str, Any], name: str, value: Any) -> None:
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _collect_grads(grads, f"{name}[{index}]", item)
    elif value is not None and value.is_floating_point():
        grads[name] = describe(value.grad)
