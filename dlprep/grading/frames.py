"""What the learner's process may send, checked frame by frame against what it was asked to do.

The learner's process is untrusted: a submission can write raw frames to its result descriptor,
drop cases, invent error kinds, or return objects that misdescribe themselves. `Frames.accept`
takes one decoded frame, and raises `FrameError` unless it is exactly one of the messages below,
about a case and device that were asked for, not reported before, with arrays whose declared
shape and dtype are their own. The verdict reads only frames that passed.

    {"type": "isolation", "layers": {...}}                   first: which layers hold
    {"type": "devices", "devices": [...]}                    next, when the grader let it choose
    {"type": "start", "index": i, "device": d}
    {"type": "case", "index": i, "device": d, "result": {...}, "monitor": {...}}
    {"type": "case", "index": i, "device": d, "exception": "...", "monitor": {...}}
    {"type": "case", "index": i, "device": d, "protocol": "...", "monitor": {...}}   returned the wrong kind of thing
    {"type": "case", "index": i, "device": d, "not_implemented": "name"}
    {"type": "error", "kind": K, "message": "..."}            ends the run
    {"type": "done"}                                          ends the run
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dlprep.grading.report import ERROR_KINDS
from dlprep.grading.wire import DTYPES

MAX_TEXT = 20_000
"""Characters kept of any text the learner's process sends (tracebacks, messages)."""
MAX_NAMES = 2_000
"""Named values one case may report (outputs, gradients, inputs afterwards)."""
MAX_FINDINGS = 50
"""Device problems, and notes, one case's monitor findings may hold."""
RECORD_KINDS = frozenset({"none", "tensor", "ndarray", "scalar", "bool", "other"})


class FrameError(Exception):
    """A frame the learner's process had no business sending; the message says what was wrong."""


@dataclass
class Frames:
    cases: int
    requested: list[str] | None
    """The devices asked for; None lets the learner's process pick among `possible` (a devices frame)."""
    possible: frozenset[str] = frozenset({"cpu"})
    frames: list[dict[str, Any]] = field(default_factory=list)
    devices: list[str] | None = None
    reported: set[tuple[int, str]] = field(default_factory=set)
    ended: bool = False
    isolation: dict[str, bool] | None = None

    def __post_init__(self) -> None:
        self.devices = list(self.requested) if self.requested is not None else None

    def accept(self, frame: Any) -> None:
        if self.ended:
            raise FrameError("a frame after the end of the run")
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise FrameError("a frame that is not a message")
        kind = frame["type"]
        checked = {"isolation": self._isolation, "devices": self._devices, "start": self._start,
                   "case": self._case, "error": self._error, "done": self._done}
        if kind not in checked:
            raise FrameError(f"a frame of an unknown type {kind[:40]!r}")
        self.frames.append(checked[kind](frame))

    def missing(self) -> list[tuple[int, str]]:
        """The (case, device) pairs never reported, in order."""
        devices = self.devices or []
        return [(i, d) for d in devices for i in range(self.cases) if (i, d) not in self.reported]

    # --- each type ------------------------------------------------------------------------------

    def _isolation(self, frame: dict) -> dict:
        from dlprep.grading.isolation import LAYERS

        _keys(frame, {"type", "layers"})
        layers = frame["layers"]
        if self.frames or not isinstance(layers, dict) or set(layers) != set(LAYERS) or not all(type(v) is bool for v in layers.values()):
            raise FrameError("an isolation frame out of place or in an unknown form")
        self.isolation = dict(layers)
        return {"type": "isolation", "layers": dict(layers)}

    def _devices(self, frame: dict) -> dict:
        _keys(frame, {"type", "devices"})
        if self.requested is not None or self.devices is not None or any(f["type"] != "isolation" for f in self.frames):
            raise FrameError("a devices frame it was not asked for")
        devices = frame["devices"]
        if (not isinstance(devices, list) or not devices or not all(isinstance(d, str) for d in devices)
                or devices[0] != "cpu" or len(set(devices)) != len(devices)):
            raise FrameError("a devices frame that does not start with the CPU")
        unknown = [d for d in devices if d not in self.possible]
        if unknown:
            raise FrameError(f"a devices frame claiming {unknown[0]!r:.40}, which this machine does not have")
        self.devices = list(devices)
        return {"type": "devices", "devices": list(devices)}

    def _where(self, frame: dict) -> tuple[int, str]:
        if self.isolation is None:
            raise FrameError("a case before the isolation was reported")
        if self.devices is None:
            raise FrameError("a case before the devices were named")
        index, device = frame.get("index"), frame.get("device")
        if type(index) is not int or not 0 <= index < self.cases:
            raise FrameError(f"a frame about case {str(index)[:20]}, which was never sent")
        if not isinstance(device, str) or device not in self.devices:
            raise FrameError(f"a frame about device {str(device)[:20]!r}, which was not asked for")
        return index, device

    def _start(self, frame: dict) -> dict:
        _keys(frame, {"type", "index", "device"})
        index, device = self._where(frame)
        return {"type": "start", "index": index, "device": device}

    def _case(self, frame: dict) -> dict:
        index, device = self._where(frame)
        if (index, device) in self.reported:
            raise FrameError(f"case {index + 1} on {device} reported twice")
        self.reported.add((index, device))
        outcome = {"type": "case", "index": index, "device": device}
        if "not_implemented" in frame:
            _keys(frame, {"type", "index", "device", "not_implemented"})
            outcome["not_implemented"] = _text(frame["not_implemented"], "a function name", 200)
            return outcome
        if "exception" in frame or "protocol" in frame:
            key = "exception" if "exception" in frame else "protocol"
            _keys(frame, {"type", "index", "device", key, "monitor"})
            outcome[key] = _text(frame[key], "an exception")
        else:
            _keys(frame, {"type", "index", "device", "result", "monitor"})
            outcome["result"] = _result(frame.get("result"))
        outcome["monitor"] = _monitor(frame.get("monitor"))
        return outcome

    def _error(self, frame: dict) -> dict:
        _keys(frame, {"type", "kind", "message"})
        if not isinstance(frame["kind"], str) or frame["kind"] not in ERROR_KINDS:
            raise FrameError(f"an error of kind {str(frame['kind'])[:40]!r}, which is not one of the contract's")
        self.ended = True
        return {"type": "error", "kind": frame["kind"], "message": _text(frame["message"], "an error message")}

    def _done(self, frame: dict) -> dict:
        _keys(frame, {"type"})
        if self.missing():
            index, device = self.missing()[0]
            raise FrameError(f"the end of the run before case {index + 1} on {device} was reported")
        self.ended = True
        return {"type": "done"}


def _keys(frame: dict, allowed: set[str]) -> None:
    required = allowed - {"monitor"}
    if not required <= set(frame) or not set(frame) <= allowed:
        raise FrameError(f"a {str(frame.get('type'))[:20]} frame with the keys {sorted(map(str, frame))[:8]}")


def _text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise FrameError(f"{what} that is not text")
    return value if len(value) <= limit else value[:limit] + " [...]"


def _result(result: Any) -> dict:
    if not isinstance(result, dict) or set(result) != {"outputs", "grads", "inputs_after"}:
        raise FrameError("a case result without exactly its outputs, gradients and inputs")
    checked = {}
    for group in ("outputs", "grads", "inputs_after"):
        records = result[group]
        if not isinstance(records, dict) or len(records) > MAX_NAMES:
            raise FrameError(f"a case result whose {group} are not named values")
        checked[group] = {_text(name, "a value's name", 200): _record(record) for name, record in records.items()}
    return checked


def _record(record: Any) -> dict:
    """A described value whose every claim is checked against its data."""
    import numpy as np

    if not isinstance(record, dict) or not isinstance(record.get("kind"), str) or record["kind"] not in RECORD_KINDS:
        raise FrameError("a returned value described as no kind dlprep knows")
    kind = record["kind"]
    if kind == "none":
        _keys(record, {"kind"})
        return {"kind": "none"}
    if kind == "other":
        _keys(record, {"kind", "type"})
        return {"kind": "other", "type": _text(record["type"], "a type name", 100)}
    if kind in ("scalar", "bool"):
        _keys(record, {"kind", "data"} | ({"dtype", "shape"} if kind == "scalar" else set()))
        data = record["data"]
        if not isinstance(data, np.ndarray) or data.shape != () or data.dtype.kind not in "bf":
            raise FrameError(f"a {kind} whose value is not one number")
        checked = {"kind": kind, "data": data}
        if kind == "scalar":
            checked.update(dtype=_text(record["dtype"], "a type name", 40), shape=[])
        return checked
    allowed = {"kind", "dtype", "shape", "data"} | ({"device"} if kind == "tensor" else set())
    _keys(record, allowed)
    dtype, shape, data = record["dtype"], record["shape"], record["data"]
    if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape):
        raise FrameError(f"a {kind} whose shape is not a list of sizes")
    if not isinstance(dtype, str) or len(dtype) > 40:
        raise FrameError(f"a {kind} whose dtype is not a name")
    checked = {"kind": kind, "dtype": dtype, "shape": list(shape)}
    if kind == "tensor":
        device = record["device"]
        if not isinstance(device, str) or not device.isidentifier() or len(device) > 20:
            raise FrameError("a tensor whose device is not a device's name")
        checked["device"] = device
        if data is None:  # a tensor without values (meta): compared as "carries no values"
            checked["data"] = None
            return checked
    if not isinstance(data, np.ndarray):
        raise FrameError(f"a {kind} without its values")
    if list(data.shape) != shape:
        raise FrameError(f"a {kind} declared {tuple(shape)} whose values are {data.shape}")
    if dtype in DTYPES and str(data.dtype) != dtype:
        raise FrameError(f"a {kind} declared {dtype} whose values are {data.dtype}")
    checked["data"] = data
    return checked


def _monitor(found: Any) -> dict:
    if found is None:
        return {"device": [], "notes": [], "spanning": None, "tampered": None}
    if not isinstance(found, dict) or set(found) != {"device", "notes", "spanning", "tampered"}:
        raise FrameError("a case's monitor findings in an unknown form")
    checked = {}
    for name in ("device", "notes"):
        items = found[name]
        if not isinstance(items, list) or len(items) > MAX_FINDINGS:
            raise FrameError("monitor findings that are not a short list")
        checked[name] = [_text(item, "a finding", 2_000) for item in items]
    for name in ("spanning", "tampered"):
        checked[name] = None if found[name] is None else _text(found[name], "a finding", 2_000)
    return checked
