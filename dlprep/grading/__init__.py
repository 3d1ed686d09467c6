"""Grading: the learner's process, the comparisons, the diagnosis.

Only the limits every grade starts from live here, so that the CLI can show them in its help
without importing anything of grading.
"""

DEFAULT_TIMEOUT_S = 20.0
"""Seconds a submission may run per grade (exercism's budget; the slowest reference takes a few)."""
DEFAULT_MEMORY_BYTES = 4 * 2**30
