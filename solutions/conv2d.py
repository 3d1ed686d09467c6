"""Reference for `conv2d`: 2-D cross-correlation (as F.conv2d), forward and backward, in NumPy.

One loop over the output positions: each is the window of the padded input under the kernel,
dotted with every filter. The backward pass walks the same windows and sends each output's
gradient back to the window (dx) and to the kernel (dw).
"""

import numpy as np


def conv_output_size(n, kernel, stride=1, padding=0):
    # windows that fit entirely inside the padded input; a partial last window is dropped
    return (n + 2 * padding - kernel) // stride + 1


def _pad(x, padding):
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))  # zeros on all four sides


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    H_out = conv_output_size(H, KH, stride, padding)
    W_out = conv_output_size(W, KW, stride, padding)
    xp = _pad(x, padding)  # (N, C, H + 2p, W + 2p)
    out = np.empty((N, F, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride : i * stride + KH, j * stride : j * stride + KW]  # (N, C, KH, KW)
            # out[n, f, i, j] = Σ_c,m,n' window[n, c, m, n'] · w[f, c, m, n'] + b[f]: no kernel flip
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b  # (N, F)
    return out


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    _, _, H, W = x.shape
    _, _, KH, KW = w.shape
    _, _, H_out, W_out = dout.shape
    xp = _pad(x, padding)
    dxp = np.zeros_like(xp)  # gradient of the padded input
    dw = np.zeros_like(w)
    for i in range(H_out):
        for j in range(W_out):
            rows = slice(i * stride, i * stride + KH)  # the window this output read, stride included
            cols = slice(j * stride, j * stride + KW)
            g = dout[:, :, i, j]  # (N, F)
            dw += np.tensordot(g, xp[:, :, rows, cols], axes=([0], [0]))  # (F, C, KH, KW), summed over the batch
            dxp[:, :, rows, cols] += np.tensordot(g, w, axes=([1], [0]))  # (N, C, KH, KW); windows may overlap
    db = dout.sum(axis=(0, 2, 3))  # (F,): every position of every sample used b[f]
    dx = dxp[:, :, padding : padding + H, padding : padding + W]  # drop the padding's gradient
    return dx, dw, db
