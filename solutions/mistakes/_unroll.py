"""The unrolling over time that the `rnn` and `gru` mistakes share: a one-state cell run step by
step, correctly or with one of the slips a hand-written loop makes."""

import torch


def unroll(cell, *, carry_state=True, stale_state=False, append_before_step=False):
    """`forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None) -> (output, h_n)` built on `cell`.

    stale_state: with `carry_state` off, the state is never reassigned either, so h_n is still h0.
    """

    def forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
        h = h0
        outputs = []
        for x_t in x:
            if append_before_step:
                outputs.append(h)
            h_t = cell(x_t, h if carry_state else h0, W_ih, W_hh, b_ih, b_hh)
            if carry_state or not stale_state:
                h = h_t
            if not append_before_step:
                outputs.append(h_t)
        return torch.stack(outputs), h

    return forward
