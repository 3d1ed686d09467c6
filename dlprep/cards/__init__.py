"""Flashcards from the study guide, scheduled by FSRS.

`deck` reads decks (the shipped `decks/*.md` and learners' own notes) into `model.Card`s;
`schedule` keeps each card's FSRS state and the review log in the progress database;
`session` picks what a quiz shows next; `drills` generates self-graded numeric questions;
`stats` and `export` report and hand cards on. Nothing here knows about the command line.
"""
