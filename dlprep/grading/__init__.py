"""Grading: the learner's process, the comparisons, the diagnosis."""
