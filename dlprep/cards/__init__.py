"""Flashcards from the study guide and the learner's notes, scheduled by FSRS as Anki would.

`deck` reads decks (the shipped `decks/*.md`, a learner's files, an Obsidian vault) into
`model.Card`s, with `markdown`, `native` (dlprep's format) and `obsidian` (Obsidian Spaced
Repetition's syntax); `schedule` keeps any item's FSRS state and its review and cram logs
in the progress database; `days` says what "today" is; `session` runs a quiz as Anki does;
`stats`, `export`, `history` (prune), `srimport` and `drills` do the rest, and `config`
holds the settings. Nothing here knows about the command line.
"""
