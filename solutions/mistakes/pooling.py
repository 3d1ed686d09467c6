"""Mistakes interviewers see in pooling layers and max pooling's backward pass."""

import numpy as np

from dlprep.grading.spec import mistake


def _windows(x, kernel, stride):
    for i in range((x.shape[2] - kernel) // stride + 1):
        for j in range((x.shape[3] - kernel) // stride + 1):
            yield i, j, (slice(None), slice(None), slice(i * stride, i * stride + kernel), slice(j * stride, j * stride + kernel))


def _first(flat):
    """One-hot of the first maximum of each (N, C, k²) window: the reference's routing."""
    return np.arange(flat.shape[-1]) == flat.argmax(axis=-1)[..., None]


def _last(flat):
    """One-hot of the last maximum: a scan with `>=` instead of `>`."""
    k2 = flat.shape[-1]
    return np.arange(k2) == (k2 - 1 - flat[..., ::-1].argmax(axis=-1))[..., None]


def _all(flat):
    """Every entry equal to the maximum: `window == window.max()` as the mask."""
    return flat == flat.max(axis=-1, keepdims=True)


def _split(flat):
    """The tied maxima share the gradient equally: `mask / mask.sum()`."""
    mask = _all(flat)
    return mask / mask.sum(axis=-1, keepdims=True)


def _max_pool(*, floor=None, route=_first, write="add"):
    """max_pool2d_forward/backward as a pair sharing a cache (x, kernel, stride).

    floor: the running max starts there (0 for `max-starts-at-zero`) instead of -inf.
    route: which entries of a window receive its gradient.
    write: "add" (the reference), "assign-max" (dx at the max = g: the last window wins where windows
        share a max), "assign-window" (dx[window] = mask * g: the window overwrites what earlier ones wrote).
    """

    def max_pool2d_forward(x, kernel, stride):
        N, C = x.shape[:2]
        out = np.empty((N, C, (x.shape[2] - kernel) // stride + 1, (x.shape[3] - kernel) // stride + 1), dtype=x.dtype)
        for i, j, window in _windows(x, kernel, stride):
            best = x[window].reshape(N, C, -1).max(axis=-1)
            out[:, :, i, j] = best if floor is None else np.maximum(best, floor)
        return out, (x, kernel, stride)

    def max_pool2d_backward(dout, cache):
        x, kernel, stride = cache
        N, C = x.shape[:2]
        dx = np.zeros(x.shape, dtype=dout.dtype)
        for i, j, window in _windows(x, kernel, stride):
            mask = route(x[window].reshape(N, C, -1)).reshape(N, C, kernel, kernel)
            g = mask * dout[:, :, i, j][:, :, None, None]
            if write == "add":
                dx[window] += g
            elif write == "assign-window":
                dx[window] = g
            else:  # "assign-max"
                dx[window] = np.where(mask, g, dx[window])
        return dx

    return {"max_pool2d_forward": max_pool2d_forward, "max_pool2d_backward": max_pool2d_backward}


def _avg_pool_dividing_by(divisor):
    def avg_pool2d(x, kernel, stride):
        N, C = x.shape[:2]
        out = np.empty((N, C, (x.shape[2] - kernel) // stride + 1, (x.shape[3] - kernel) // stride + 1), dtype=x.dtype)
        for i, j, window in _windows(x, kernel, stride):
            out[:, :, i, j] = x[window].sum(axis=(2, 3)) / divisor(kernel)
        return out

    return avg_pool2d


MISTAKES = [
    mistake(
        "grad-to-all-maxima",
        "On ties the gradient goes in full to every entry equal to the window's maximum, so a window of "
        "equal values sends its gradient k² times. Max pooling passed on one value: its gradient goes to "
        "one maximum (PyTorch picks the first in row-major order, np.argmax over the flattened window), or "
        "is shared among the tied maxima (`mask / mask.sum()`), never copied to each.",
        **_max_pool(route=_all),
    ),
    mistake(
        "overlap-not-accumulated",
        "Where overlapping windows (stride < kernel) share a maximum, that entry gets only one window's "
        "gradient: it is assigned (`dx[...] = g`), or added with a fancy index that repeats — NumPy's "
        "`dx[idx] += g` does not accumulate repeated indices. The entry fed every one of those outputs, so "
        "∂L/∂x is the sum of their gradients: loop over windows with +=, or use np.add.at.",
        **_max_pool(write="assign-max"),
    ),
    mistake(
        "window-overwritten",
        "Each window's gradient is written with `dx[window] = mask * g`, which overwrites what earlier "
        "overlapping windows (stride < kernel) put in the shared entries — zeros included. Add instead: "
        "`dx[window] += mask * g`; an entry's gradient is the sum over every window it is in.",
        **_max_pool(write="assign-window"),
    ),
    mistake(
        "max-starts-at-zero",
        "The running maximum starts at 0, so a window of negative values outputs 0 instead of its maximum "
        "(max pooling is not ReLU). Start from -inf, or from the window's first entry, or use window.max().",
        max_pool2d_forward=_max_pool(floor=0.0)["max_pool2d_forward"],
    ),
    mistake(
        "avg-divides-by-window-area-wrongly",
        "The window sum is divided by kernel instead of the window's area. A k × k window holds k² entries: "
        "average = Σ window / k² (or window.mean(axis=(2, 3))).",
        avg_pool2d=_avg_pool_dividing_by(lambda kernel: kernel),
    ),
    mistake(
        "global-pool-wrong-axes",
        "The global average runs over axes (1, 2), as if x were (N, H, W, C) (TensorFlow's layout): it mixes "
        "channels together. x is (N, C, H, W): average each channel over the whole image, x.mean(axis=(2, 3)), "
        "giving (N, C).",
        global_avg_pool=lambda x: x.mean(axis=(1, 2)),
    ),
    mistake(
        "global-pool-keepdims",
        "The result keeps the pooled axes, shape (N, C, 1, 1), as F.adaptive_avg_pool2d(x, 1) does. The "
        "contract asks for (N, C), ready for a Linear layer: x.mean(axis=(2, 3)) without keepdims.",
        global_avg_pool=lambda x: x.mean(axis=(2, 3), keepdims=True),
    ),
]
