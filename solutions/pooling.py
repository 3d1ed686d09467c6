"""Reference for `pooling`: max, average and global average pooling in NumPy (as F.max_pool2d,
F.avg_pool2d and F.adaptive_avg_pool2d(x, 1)), with the backward pass of max pooling.

Windows are kernel × kernel, `stride` apart, with no padding; a partial last window is dropped.
"""

import numpy as np


def _out_size(n, kernel, stride):
    return (n - kernel) // stride + 1  # whole windows only, as F.max_pool2d (ceil_mode=False)


def _windows(x, kernel, stride):
    """Yield (i, j, window) for every output position; window is (N, C, kernel, kernel)."""
    for i in range(_out_size(x.shape[2], kernel, stride)):
        for j in range(_out_size(x.shape[3], kernel, stride)):
            yield i, j, x[:, :, i * stride : i * stride + kernel, j * stride : j * stride + kernel]


def max_pool2d_forward(x, kernel, stride):
    N, C, H, W = x.shape
    H_out, W_out = _out_size(H, kernel, stride), _out_size(W, kernel, stride)
    out = np.empty((N, C, H_out, W_out), dtype=x.dtype)
    argmax = np.empty((N, C, H_out, W_out), dtype=np.intp)  # where in its window each max is
    for i, j, window in _windows(x, kernel, stride):
        flat = window.reshape(N, C, kernel * kernel)  # row-major: (0, 0), (0, 1), ...
        argmax[:, :, i, j] = flat.argmax(axis=2)  # the FIRST maximum on ties, as PyTorch
        out[:, :, i, j] = flat.max(axis=2)
    return out, (x.shape, kernel, stride, argmax)


def max_pool2d_backward(dout, cache):
    shape, kernel, stride, argmax = cache
    N, C, H_out, W_out = dout.shape
    dx = np.zeros(shape, dtype=dout.dtype)
    n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")  # (N, C) index grids
    for i in range(H_out):
        for j in range(W_out):
            r, s = np.divmod(argmax[:, :, i, j], kernel)  # row, column of the max inside the window
            # only the max got through, so only it gets gradient. Overlapping windows (stride <
            # kernel) may share a max: add, never assign. (One fancy-indexed += per window is safe:
            # its (n, c) indices are all distinct, and NumPy does not accumulate repeated indices.)
            dx[n, c, i * stride + r, j * stride + s] += dout[:, :, i, j]
    return dx


def avg_pool2d(x, kernel, stride):
    N, C, H, W = x.shape
    out = np.empty((N, C, _out_size(H, kernel, stride), _out_size(W, kernel, stride)), dtype=x.dtype)
    for i, j, window in _windows(x, kernel, stride):
        out[:, :, i, j] = window.mean(axis=(2, 3))  # Σ / kernel²
    return out


def global_avg_pool(x):
    return x.mean(axis=(2, 3))  # (N, C): one number per channel, over all of H × W
