"""Explicit Python loops over sample, filter and output position, each output one np.sum of window × filter."""

import numpy as np


def conv_output_size(n, kernel, stride=1, padding=0):
    return len(range(0, n + 2 * padding - kernel + 1, stride))  # window starts that fit


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    H_out = conv_output_size(H, KH, stride, padding)
    W_out = conv_output_size(W, KW, stride, padding)
    xp = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=x.dtype)
    xp[:, :, padding : padding + H, padding : padding + W] = x
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = i * stride, j * stride
                    out[n, f, i, j] = np.sum(xp[n, :, r : r + KH, c : c + KW] * w[f]) + b[f]
    return out


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    _, _, H_out, W_out = dout.shape
    xp = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=x.dtype)
    xp[:, :, padding : padding + H, padding : padding + W] = x
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = i * stride, j * stride
                    g = dout[n, f, i, j]
                    dw[f] += g * xp[n, :, r : r + KH, c : c + KW]
                    dxp[n, :, r : r + KH, c : c + KW] += g * w[f]
                    db[f] += g
    return dxp[:, :, padding : padding + H, padding : padding + W], dw, db
