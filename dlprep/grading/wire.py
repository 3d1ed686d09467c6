"""Framed messages between dlprep's processes: JSON, with the arrays beside it as raw bytes.

A frame is an 8-byte length, then the payload: a 4-byte header length, the JSON header, and the
arrays' bytes one after another. The header lists each array's dtype and shape, so the bytes that
follow must be exactly that long: what is declared is what is read. Nothing is ever unpickled or
decompressed, and every size is bounded before it is read. The learner's process is untrusted:
`decode` and `receive` raise `WireError`, and only `WireError`, on anything malformed.
"""

from __future__ import annotations

import json
import os
import struct
from typing import Any

_ARRAY = "__array__"
_TUPLE = "__tuple__"
_FRAME = struct.Struct("!Q")
_HEADER = struct.Struct("!I")
DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64"})
"""What an array may be: every dtype an output, an input or a gradient of a kata takes."""
MAX_DEPTH = 32
MAX_FRAME = 256 * 2**20
"""The largest frame read at all; the grader passes smaller, per-grade limits."""


class WireError(Exception):
    """A frame that is malformed, truncated, too large or of a kind not allowed."""


def encode(message: Any) -> bytes:
    import numpy as np  # here, not at the top: the grader starts the learner's process before loading NumPy

    specs: list[dict[str, Any]] = []
    buffers: list[bytes] = []

    def pack(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            specs.append({"dtype": str(value.dtype), "shape": list(value.shape)})
            buffers.append(value.tobytes())  # C order, whatever the array's own layout
            return {_ARRAY: len(specs) - 1}
        if isinstance(value, dict):
            return {str(k): pack(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return {_TUPLE: [pack(v) for v in value]}
        if isinstance(value, list):
            return [pack(v) for v in value]
        if isinstance(value, np.generic):
            return value.item()
        return value

    body = pack(message)
    header = json.dumps({"arrays": specs, "body": body}, allow_nan=True).encode()
    return _HEADER.pack(len(header)) + header + b"".join(buffers)


def decode(payload: bytes | memoryview, *, max_elements: int | None = None) -> Any:
    """The message in `payload`; `max_elements` bounds the values of all its arrays together."""
    import numpy as np

    payload = memoryview(payload)
    if len(payload) < _HEADER.size:
        raise WireError("a frame shorter than its header")
    (length,) = _HEADER.unpack_from(payload)
    if length > len(payload) - _HEADER.size:
        raise WireError("a frame whose header runs past its end")
    try:
        header = json.loads(bytes(payload[_HEADER.size : _HEADER.size + length]))
    except (ValueError, RecursionError) as exc:
        raise WireError(f"a frame whose header is not JSON ({type(exc).__name__})") from None
    if not isinstance(header, dict) or not isinstance(header.get("arrays"), list) or "body" not in header:
        raise WireError("a frame without the header's `arrays` and `body`")
    arrays = []
    offset, elements = _HEADER.size + length, 0
    for spec in header["arrays"]:
        dtype, shape = _array_spec(spec)
        count = 1
        for size in shape:
            count *= size
        elements += count
        if max_elements is not None and elements > max_elements:
            raise WireError(f"arrays of more than {max_elements} values in one frame")
        size = count * np.dtype(dtype).itemsize
        if offset + size > len(payload):
            raise WireError("a frame whose arrays are shorter than their declared shapes")
        arrays.append(np.frombuffer(payload[offset : offset + size], dtype=dtype).reshape(shape).copy())
        offset += size
    if offset != len(payload):
        raise WireError("a frame with bytes beyond its declared arrays")

    def unpack(value: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise WireError(f"a frame nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            if _ARRAY in value:
                index = value[_ARRAY]
                if len(value) != 1 or type(index) is not int or not 0 <= index < len(arrays):
                    raise WireError("a frame that refers to an array it does not hold")
                return arrays[index]
            if _TUPLE in value:
                if len(value) != 1 or not isinstance(value[_TUPLE], list):
                    raise WireError("a malformed tuple in a frame")
                return tuple(unpack(v, depth + 1) for v in value[_TUPLE])
            return {k: unpack(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [unpack(v, depth + 1) for v in value]
        return value

    return unpack(header["body"], 0)


def _array_spec(spec: Any) -> tuple[str, tuple[int, ...]]:
    if not isinstance(spec, dict) or set(spec) != {"dtype", "shape"}:
        raise WireError("an array described by something other than its dtype and shape")
    dtype, shape = spec["dtype"], spec["shape"]
    if dtype not in DTYPES:
        raise WireError(f"an array of dtype {str(dtype)[:40]!r}, which no kata uses")
    if not isinstance(shape, list) or len(shape) > MAX_DEPTH or not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("an array whose shape is not a list of sizes")
    return dtype, tuple(shape)


def send(fd: int, message: Any) -> None:
    send_encoded(fd, encode(message))


def send_encoded(fd: int, payload: bytes) -> None:
    data = memoryview(_FRAME.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data) :]


def _read_exactly(fd: int, size: int) -> bytes:
    """`size` bytes, or fewer if the stream ends first."""
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, *, max_bytes: int = MAX_FRAME, max_elements: int | None = None) -> Any | None:
    """The next message, or None at the end of the stream. A truncated or oversized frame, or one
    that does not decode, raises WireError before more than `max_bytes` are read."""
    prefix = _read_exactly(fd, _FRAME.size)
    if not prefix:
        return None
    if len(prefix) < _FRAME.size:
        raise WireError("a frame cut off in its length")
    (length,) = _FRAME.unpack(prefix)
    if length > max_bytes:
        raise WireError(f"a frame of {length} bytes, more than the {max_bytes} allowed")
    payload = _read_exactly(fd, length)
    if len(payload) < length:
        raise WireError("a frame cut off before its end")
    return decode(payload, max_elements=max_elements)
