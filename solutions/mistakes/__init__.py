"""Known-mistake variants of each reference, used to diagnose failing submissions."""
