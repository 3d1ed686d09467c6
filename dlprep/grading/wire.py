"""Framed messages between the grader and the learner's process.

A message is a JSON document whose arrays travel beside it in an `.npz` archive, loaded with
`allow_pickle=False`: nothing the learner's process sends is ever unpickled.
"""

from __future__ import annotations

import io
import json
import os
import struct
from typing import Any

_ARRAY = "__array__"
_TUPLE = "__tuple__"
_LENGTH = struct.Struct("!Q")


def encode(message: Any) -> bytes:
    import numpy as np  # here, not at the top: the grader starts the learner's process before loading NumPy

    arrays: dict[str, np.ndarray] = {}

    def pack(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            key = f"a{len(arrays)}"
            arrays[key] = value
            return {_ARRAY: key}
        if isinstance(value, dict):
            return {str(k): pack(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return {_TUPLE: [pack(v) for v in value]}
        if isinstance(value, list):
            return [pack(v) for v in value]
        if isinstance(value, np.generic):
            return value.item()
        return value

    header = json.dumps(pack(message), allow_nan=True).encode()
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return _LENGTH.pack(len(header)) + header + buffer.getvalue()


def decode(payload: bytes) -> Any:
    import numpy as np

    (length,) = _LENGTH.unpack_from(payload)
    header = json.loads(payload[_LENGTH.size : _LENGTH.size + length])
    with np.load(io.BytesIO(payload[_LENGTH.size + length :]), allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}

    def unpack(value: Any) -> Any:
        if isinstance(value, dict):
            if _ARRAY in value:
                return arrays[value[_ARRAY]]
            if _TUPLE in value:
                return tuple(unpack(v) for v in value[_TUPLE])
            return {k: unpack(v) for k, v in value.items()}
        if isinstance(value, list):
            return [unpack(v) for v in value]
        return value

    return unpack(header)


def send(fd: int, message: Any) -> None:
    send_encoded(fd, encode(message))


def send_encoded(fd: int, payload: bytes) -> None:
    data = memoryview(_LENGTH.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> Any | None:
    """The next message, or None at end of stream (a truncated frame counts as the end)."""
    prefix = _read_exactly(fd, _LENGTH.size)
    if prefix is None:
        return None
    payload = _read_exactly(fd, _LENGTH.unpack(prefix)[0])
    return None if payload is None else decode(payload)
