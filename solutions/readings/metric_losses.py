"""The triplet loss's distance, with or without PyTorch's eps.

F.triplet_margin_loss measures ‖a − p + eps‖₂ with eps = 1e-6 added to each component; the
plain Euclidean distance ‖a − p‖₂ of the contract and the guide is just as right, and differs
by about 1e-6, which float64 comparisons see. With `norm`, its gradient where an anchor equals
its positive is 0 (PyTorch's norm at 0); √(Σd²) gives NaN there, which stays a mistake.
"""

from dlprep.grading.spec import reading
from dlprep.solutions.mistakes.metric_losses import _norm_no_eps, _triplet

READINGS = [
    reading("distance-without-eps", "your distances are ‖a − p‖₂ without PyTorch's eps = 1e-6 (F.pairwise_distance "
            "adds it to each component): both are the Euclidean distance", triplet_loss=_triplet(distance=_norm_no_eps)),
]
