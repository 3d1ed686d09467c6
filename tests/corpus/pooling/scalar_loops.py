"""Loops over every (n, c, i, j) with a hand scan for the first strict maximum; the cache keeps x, backward re-scans."""

import numpy as np


def _size(n, kernel, stride):
    return (n - kernel) // stride + 1


def _first_max(x, n, c, top, left, kernel):
    """Value and position of the first maximum of one window, scanning rows then columns."""
    best, where = x[n, c, top, left], (top, left)
    for r in range(top, top + kernel):
        for s in range(left, left + kernel):
            if x[n, c, r, s] > best:  # strict: a tie keeps the earlier entry
                best, where = x[n, c, r, s], (r, s)
    return best, where


def max_pool2d_forward(x, kernel, stride):
    N, C, H, W = x.shape
    out = np.zeros((N, C, _size(H, kernel, stride), _size(W, kernel, stride)), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(out.shape[2]):
                for j in range(out.shape[3]):
                    out[n, c, i, j], _ = _first_max(x, n, c, i * stride, j * stride, kernel)
    return out, (x, kernel, stride)


def max_pool2d_backward(dout, cache):
    x, kernel, stride = cache
    dx = np.zeros(x.shape, dtype=dout.dtype)
    N, C, H_out, W_out = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    _, (r, s) = _first_max(x, n, c, i * stride, j * stride, kernel)
                    dx[n, c, r, s] += dout[n, c, i, j]
    return dx


def avg_pool2d(x, kernel, stride):
    N, C, H, W = x.shape
    out = np.zeros((N, C, _size(H, kernel, stride), _size(W, kernel, stride)), dtype=x.dtype)
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            window = x[:, :, i * stride : i * stride + kernel, j * stride : j * stride + kernel]
            out[:, :, i, j] = window.sum(axis=(2, 3)) / (kernel * kernel)
    return out


def global_avg_pool(x):
    H, W = x.shape[2:]
    return x.sum(axis=(2, 3)) / (H * W)
