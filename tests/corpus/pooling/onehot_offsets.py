"""One-hot first-max mask (np.eye) in the cache; backward and average pooling by kernel-offset slices."""

import numpy as np


def _out_shape(x, kernel, stride):
    N, C, H, W = x.shape
    return N, C, (H - kernel) // stride + 1, (W - kernel) // stride + 1


def _offset_slices(kernel, stride, H_out, W_out):
    """For each kernel offset (m, k): the strided slices of x it covers, one entry per output position."""
    for m in range(kernel):
        for k in range(kernel):
            yield m, k, (slice(m, m + stride * (H_out - 1) + 1, stride), slice(k, k + stride * (W_out - 1) + 1, stride))


def max_pool2d_forward(x, kernel, stride):
    N, C, H_out, W_out = _out_shape(x, kernel, stride)
    stacked = np.empty((kernel * kernel, N, C, H_out, W_out), dtype=x.dtype)  # offset-major, row-major order
    for m, k, (rows, cols) in _offset_slices(kernel, stride, H_out, W_out):
        stacked[m * kernel + k] = x[:, :, rows, cols]
    first = stacked.argmax(axis=0)  # (N, C, H_out, W_out)
    one_hot = np.eye(kernel * kernel, dtype=bool)[first]  # (N, C, H_out, W_out, K²)
    return stacked.max(axis=0), (one_hot, x.shape, kernel, stride)


def max_pool2d_backward(dout, cache):
    one_hot, shape, kernel, stride = cache
    H_out, W_out = dout.shape[2:]
    dx = np.zeros(shape, dtype=dout.dtype)
    for m, k, (rows, cols) in _offset_slices(kernel, stride, H_out, W_out):
        dx[:, :, rows, cols] += np.where(one_hot[..., m * kernel + k], dout, 0.0)
    return dx


def avg_pool2d(x, kernel, stride):
    N, C, H_out, W_out = _out_shape(x, kernel, stride)
    total = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for _, _, (rows, cols) in _offset_slices(kernel, stride, H_out, W_out):
        total += x[:, :, rows, cols]
    return total / (kernel * kernel)


def global_avg_pool(x):
    return np.einsum("nchw->nc", x) / (x.shape[2] * x.shape[3])
