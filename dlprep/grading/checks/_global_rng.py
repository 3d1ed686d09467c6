"""NumPy's global random state, for the katas whose contract forbids touching it (`init`, `dropout`):
a submission must draw only from the generator it is given."""

from __future__ import annotations

import numpy as np


def global_state():
    return np.random.get_state(legacy=False)


def same_state(a, b) -> bool:
    return (
        a["bit_generator"] == b["bit_generator"]
        and np.array_equal(a["state"]["key"], b["state"]["key"])
        and a["state"]["pos"] == b["state"]["pos"]
        and a["has_gauss"] == b["has_gauss"]
        and a["gauss"] == b["gauss"]
    )
