"""L1's gradient where the prediction is exact: |d| has no derivative at d = 0.

PyTorch's `abs` backward uses sign(0) = 0; the one-sided slopes +1 and −1 (what
`torch.where(d >= 0, d, -d)` and `torch.where(d > 0, d, -d)` give) are subgradients too, and a
careful interviewer accepts them. A NaN there (√(d²)) is a mistake, not a reading.
"""

import torch

from dlprep.grading.spec import reading


def _l1_with_slope_at_zero(slope):
    def l1_loss(pred, target):
        d = pred - target
        at_zero = torch.where(d == 0, slope * d, torch.zeros_like(d))  # value 0, gradient `slope`
        return (d.abs() + at_zero).mean()

    return l1_loss


READINGS = [
    reading("l1-slope-plus-one-at-zero", "where pred == target your L1 gradient uses the slope +1 (PyTorch uses "
            "sign(0) = 0): both are subgradients of |d|", l1_loss=_l1_with_slope_at_zero(1.0)),
    reading("l1-slope-minus-one-at-zero", "where pred == target your L1 gradient uses the slope −1 (PyTorch uses "
            "sign(0) = 0): both are subgradients of |d|", l1_loss=_l1_with_slope_at_zero(-1.0)),
]
