"""dlprep: deep-learning interview prep from the command line."""

__version__ = "0.1.0"
