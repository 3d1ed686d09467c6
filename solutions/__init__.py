"""Hidden reference implementations, one file per kata id. Never importable by learner code under grading."""
