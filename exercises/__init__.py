"""Stubs the learner starts from, one file per kata id."""
