"""Max pooling's gradient at ties: any single maximum, or an even share, is a right answer.

At a tie the maximum has no derivative; every way of giving the window's gradient to its tied
maxima that keeps its total (one of them, or equal shares) is a subgradient an interviewer accepts.
PyTorch's choice, the first maximum, is the reference.
"""

from dlprep.grading.spec import reading
from dlprep.solutions.mistakes.pooling import _last, _max_pool, _split

READINGS = [
    reading("last-maximum", "on ties your gradient goes to the last maximum of the window (PyTorch picks the first): "
            "either is a subgradient of max", **_max_pool(route=_last)),
    reading("shared-among-maxima", "on ties your gradient is shared equally among the tied maxima (PyTorch gives it "
            "all to the first): either is a subgradient of max", **_max_pool(route=_split)),
]
