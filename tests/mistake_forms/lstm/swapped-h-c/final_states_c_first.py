"""A correct cell; the sequence returns its final states as (c_n, h_n), kept in a dict."""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[1]
    gates = torch.mm(x, W_ih.t()) + torch.mm(h, W_hh.t())
    if b_ih is not None:
        gates = gates + b_ih
    if b_hh is not None:
        gates = gates + b_hh
    i, f, g, o = (gates[:, k * H:(k + 1) * H] for k in range(4))
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_next), c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    state = {"h": h0, "c": c0}
    outputs = []
    for x_t in x:
        state["h"], state["c"] = lstm_cell(x_t, state["h"], state["c"], W_ih, W_hh, b_ih, b_hh)
        outputs.append(state["h"])
    return torch.stack(outputs), (state["c"], state["h"])
