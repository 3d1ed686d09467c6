"""sliding_window_view + einsum forward; backward loops over kernel offsets, each a strided slice += einsum."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_output_size(n, kernel, stride=1, padding=0):
    return (n - kernel + 2 * padding) // stride + 1


def _pad(x, padding):
    return np.pad(x, ((0, 0), (0, 0), (padding,) * 2, (padding,) * 2))


def conv2d_forward(x, w, b, stride=1, padding=0):
    KH, KW = w.shape[2:]
    windows = sliding_window_view(_pad(x, padding), (KH, KW), axis=(2, 3))[:, :, ::stride, ::stride]
    # windows: (N, C, H_out, W_out, KH, KW)
    return np.einsum("ncijhw,fchw->nfij", windows, w) + b[None, :, None, None]


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    _, _, H, W = x.shape
    KH, KW = w.shape[2:]
    H_out, W_out = dout.shape[2:]
    xp = _pad(x, padding)
    dxp = np.zeros_like(xp)
    dw = np.empty_like(w)
    # kernel offset (m, k) touches the padded pixels (i·s + m, j·s + k) of every output (i, j)
    for m in range(KH):
        for k in range(KW):
            rows = slice(m, m + stride * (H_out - 1) + 1, stride)
            cols = slice(k, k + stride * (W_out - 1) + 1, stride)
            dw[:, :, m, k] = np.einsum("nfij,ncij->fc", dout, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nfij,fc->ncij", dout, w[:, :, m, k])
    db = np.einsum("nfij->f", dout)
    return dxp[:, :, padding : padding + H, padding : padding + W], dw, db
