"""Whatever bytes the learner's process writes, dlprep's reader raises only its own two errors.

The wire decoder and the frame checks are fed malformed, truncated, oversized and hostile input
drawn by hypothesis; honest frames round-trip unchanged.
"""

from __future__ import annotations

import json
import os
import struct
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import wire
from dlprep.grading.frames import FrameError, Frames

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)


def frame_bytes(header: bytes, tail: bytes = b"") -> bytes:
    payload = struct.pack("!I", len(header)) + header + tail
    return struct.pack("!Q", len(payload)) + payload


def read_all(data: bytes, **limits) -> list:
    """Every message in `data`, read from a pipe as the grader reads the learner's process."""
    read, write = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write, data) if data else None, os.close(write)))
    writer.start()
    found = []
    try:
        while (message := wire.receive(read, **limits)) is not None:
            found.append(message)
    finally:
        writer.join()
        os.close(read)
    return found


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_wire_errors(data):
    try:
        read_all(data[:60_000])
    except wire.WireError:
        pass


@settings(max_examples=200, deadline=None)
@given(json_values, st.binary(max_size=64))
def test_any_json_header_raises_only_wire_errors(body, tail):
    header = json.dumps({"arrays": [{"dtype": "float64", "shape": [len(tail) // 8]}], "body": body}).encode()
    try:
        wire.decode(struct.pack("!I", len(header)) + header + tail[: len(tail) // 8 * 8])
    except wire.WireError:
        pass


@pytest.mark.parametrize("data, says", [
    (frame_bytes(b'{"arrays": [{"dtype": "object", "shape": [1]}], "body": null}', bytes(8)), "dtype"),
    (frame_bytes(b'{"arrays": [{"dtype": "float64", "shape": [10]}], "body": {"__array__": 0}}', bytes(8)), "shorter"),
    (frame_bytes(b'{"arrays": [], "body": {"__array__": 3}}'), "does not hold"),
    (frame_bytes(b'{"arrays": [], "body": null}', b"extra"), "beyond"),
    (frame_bytes(b'{"arrays": [], "body": ' + b"[" * 50 + b"]" * 50 + b"}"), "nested"),
    (frame_bytes(b'{"arrays": [{"dtype": "float64", "shape": [-1]}], "body": null}'), "shape"),
    (frame_bytes(b"not json"), "not JSON"),
    (struct.pack("!Q", 2**40), "more than"),
    (struct.pack("!Q", 100) + b"short", "cut off"),
    (b"\x00\x00\x00", "cut off"),
])
def test_each_kind_of_malformed_frame_is_named(data, says):
    with pytest.raises(wire.WireError, match=says):
        read_all(data)


def test_arrays_beyond_the_element_limit_are_refused_before_they_are_built():
    header = json.dumps({"arrays": [{"dtype": "float64", "shape": [10**6, 10**6]}], "body": {"__array__": 0}}).encode()
    with pytest.raises(wire.WireError, match="more than"):
        wire.decode(struct.pack("!I", len(header)) + header, max_elements=10**6)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(wire.DTYPES)), st.lists(st.integers(0, 4), max_size=3), json_values)
def test_honest_messages_round_trip(dtype, shape, extra):
    array = np.zeros(shape, dtype=dtype)
    message = {"array": array, "scalar": np.array(2.5), "extra": extra, "pair": (1, 2)}
    back = read_all(struct.pack("!Q", len(wire.encode(message))) + wire.encode(message))[0]
    assert back["array"].dtype == array.dtype and back["array"].shape == array.shape
    assert back["scalar"].shape == () and back["pair"] == (1, 2) and back["extra"] == extra


def frames(devices=("cpu",)):
    checked = Frames(3, list(devices))
    checked.accept({"type": "isolation", "layers": {"user": False, "limits": True, "landlock": True, "seccomp": True}})
    return checked


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_decoded_value_is_accepted_or_refused_as_a_frame_error(value):
    try:
        frames().accept(value)
    except FrameError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["kind", "dtype", "shape", "data", "device", "type"]),
                       json_values | st.builds(np.zeros, st.lists(st.integers(0, 3), max_size=2)), max_size=6))
def test_any_described_value_is_accepted_or_refused(record):
    frame = {"type": "case", "index": 0, "device": "cpu", "result": {"outputs": {"out": record}, "grads": {}, "inputs_after": {}}}
    try:
        frames().accept(frame)
    except FrameError:
        pass


def record(shape, data_shape):
    return {"kind": "ndarray", "dtype": "float64", "shape": list(shape), "data": np.zeros(data_shape)}


def test_a_declared_shape_that_is_not_the_datas_is_refused():
    frame = {"type": "case", "index": 0, "device": "cpu", "result": {"outputs": {"out": record([3], [0])}, "grads": {}, "inputs_after": {}}}
    with pytest.raises(FrameError, match="declared"):
        frames().accept(frame)


def test_every_case_exactly_once_then_done():
    checked = frames()
    honest = {"type": "case", "device": "cpu", "not_implemented": "softmax"}
    checked.accept({**honest, "index": 0})
    with pytest.raises(FrameError, match="twice"):
        checked.accept({**honest, "index": 0})
    with pytest.raises(FrameError, match="before case 2"):
        checked_early = frames()
        checked_early.accept({**honest, "index": 0})
        checked_early.accept({"type": "done"})
    checked.accept({**honest, "index": 1})
    checked.accept({**honest, "index": 2})
    checked.accept({"type": "done"})
    with pytest.raises(FrameError, match="after the end"):
        checked.accept({"type": "start", "index": 0, "device": "cpu"})


anything = json_values | st.builds(np.zeros, st.lists(st.integers(0, 3), max_size=2))
records = st.fixed_dictionaries({"kind": st.sampled_from(["none", "tensor", "ndarray", "scalar", "bool", "other"]) | anything},
                                optional={"dtype": st.sampled_from(["float64", "int64", "bool"]) | anything,
                                          "shape": st.lists(st.integers(-1, 3), max_size=2) | anything,
                                          "data": anything, "device": st.sampled_from(["cpu", "cuda"]) | anything,
                                          "type": anything})
structured = st.fixed_dictionaries(
    {"type": st.sampled_from(["isolation", "devices", "start", "case", "error", "done"]) | anything},
    optional={"index": st.integers(-2, 4) | anything, "device": st.sampled_from(["cpu", "cuda"]) | anything,
              "kind": st.sampled_from(["crash", "timeout", "bogus"]) | anything, "message": anything,
              "devices": st.lists(st.sampled_from(["cpu", "cuda"])) | anything, "layers": anything,
              "not_implemented": anything, "exception": anything, "monitor": anything,
              "result": st.fixed_dictionaries({"outputs": st.dictionaries(st.text(max_size=5), records, max_size=3),
                                               "grads": st.dictionaries(st.text(max_size=5), records, max_size=2),
                                               "inputs_after": st.just({})}) | anything},
)


@settings(max_examples=500, deadline=None)
@given(st.lists(structured, max_size=6))
def test_sequences_of_plausible_frames_are_accepted_or_refused(sequence):
    checked = frames()
    for frame in sequence:
        try:
            checked.accept(frame)
        except FrameError:
            break
