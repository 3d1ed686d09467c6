"""Review histories whose cards moved or went away.

- Cards of a learner's own deck reviewed before card ids were namespaced by deck have their
  history under the shipped namespace (`dlprep/<id>`); `adopt_legacy` moves it to the card.
- A card renamed or deleted leaves a history no deck has: `orphans` finds them, for
  `dlprep cards prune`, among the namespaces the decks it is given own.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from dlprep.cards import schedule
from dlprep.cards.model import SHIPPED_DECK, Deck
from dlprep.cards.session import KIND


def adopt_legacy(conn: sqlite3.Connection, deck: Deck, shipped_ids: set[str]) -> int:
    """Move pre-namespace histories of this (user) deck's cards to them; returns how many moved."""
    states = schedule.load_states(conn, KIND)
    renames: dict[str, str] = {}
    for card in deck.cards:
        legacy = f"{SHIPPED_DECK}/{card.id}"
        if card.deck == SHIPPED_DECK or card.key in states or card.id in shipped_ids:
            continue
        if legacy in states and legacy not in renames:
            renames[legacy] = card.key
    if renames:
        schedule.rename(conn, KIND, renames)
    return len(renames)


@dataclass(frozen=True)
class Orphans:
    gone: dict[str, int]  # key -> ratings, of cards missing from the deck that owns their namespace
    elsewhere: dict[str, int]  # key -> ratings, under namespaces none of the decks owns


def orphans(conn: sqlite3.Connection, decks: list[Deck]) -> Orphans:
    present = {card.key for deck in decks for card in deck.cards}
    gone, elsewhere = {}, {}
    for key, ratings in schedule.histories(conn, KIND).items():
        if key in present:
            continue
        (gone if any(deck.owns(key) for deck in decks) else elsewhere)[key] = ratings
    return Orphans(gone, elsewhere)
