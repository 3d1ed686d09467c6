"""A quiz session as Anki runs one: due cards, daily new cards, learning steps within the session."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, State

from dlprep.cards import schedule
from dlprep.cards.deck import parse
from dlprep.cards.session import KIND, LEARN_AHEAD, Session, run

from .conftest import DAY, T0, set_time_zone

DECK = parse("".join(f"Question {n}?::Answer {n}\n" for n in range(30)), "deck.md", deck="test")
CARDS = DECK.cards
KEYS = {card.key for card in CARDS}


def _session(db, cards=CARDS, **options) -> Session:
    settings = {"deck_keys": KEYS, "new_per_day": 20, "day_starts_at": 4, **options}
    return Session(db, cards, scheduler=schedule.Scheduler(fuzz=False), **settings)


def _rate_all(session: Session, rating: Rating, at) -> list[str]:
    """Rate every card the session shows with `rating`, the clock standing still; returns their ids."""
    shown = []
    while (card := session.next_card()) is not None:
        shown.append(card.id)
        session.rate(card, rating)
        assert len(shown) < 200, "the session never ends"
    return shown


def test_new_cards_are_limited_per_day_across_sessions(db, at):
    first = _session(db, new_per_day=5, limit=3)
    assert [card.id for card in first.queue] == [card.id for card in CARDS[:3]]
    _rate_all(first, Rating.Easy, at)
    at(T0 + timedelta(hours=2))
    second = _session(db, new_per_day=5)
    assert [card.id for card in second.queue] == [card.id for card in CARDS[3:5]]  # 3 of 5 used today
    _rate_all(second, Rating.Easy, at)
    assert _session(db, new_per_day=5).queue == []
    assert len(_session(db, new_per_day=8).queue) == 3  # a higher limit for today: 3 more
    at(T0 + DAY)  # the next study day: 5 new again
    assert [card.id for card in _session(db, new_per_day=5).queue] == [card.id for card in CARDS[5:10]]


def test_new_cards_of_another_deck_do_not_count(db, at):
    other = parse("Elsewhere?::yes\n", "other.md", deck="other").cards[0]
    schedule.review(db, KIND, other.key, Rating.Easy, T0)
    assert len(_session(db, new_per_day=5).queue) == 5


def test_a_card_in_learning_comes_back_in_the_same_session_until_it_is_learnt(db, at):
    session = _session(db, cards=CARDS[:2])
    first = session.next_card()
    session.rate(first, Rating.Again)  # back in 1 minute
    second = session.next_card()
    assert second == CARDS[1]
    session.rate(second, Rating.Good)  # back in 10 minutes
    at(T0 + timedelta(minutes=2))
    assert session.next_card() == first  # due again: shown before anything else
    session.rate(first, Rating.Good)  # 10 more minutes
    # Nothing else left: learning cards due within the learn-ahead window come back early.
    assert LEARN_AHEAD == timedelta(minutes=20)
    assert session.next_card() == second
    session.rate(second, Rating.Good)  # graduates
    assert session.next_card() == first
    session.rate(first, Rating.Good)
    assert session.next_card() is None
    states = schedule.load_states(db, KIND)
    assert all(states[card.key].state == State.Review for card in CARDS[:2])
    assert (session.shown, session.reviewed, session.again) == (5, 5, 1)


def test_the_card_just_answered_waits_while_another_learning_card_can_be_shown(db, at):
    session = _session(db, cards=CARDS[:2])
    shown = []
    for _ in range(6):  # the clock stands still: every card is shown ahead of its step
        card = session.next_card()
        shown.append(card.id)
        session.rate(card, Rating.Again)
    assert shown == [CARDS[0].id, CARDS[1].id] * 3


def test_a_session_ends_with_its_cards_learnt_whatever_the_ratings(db, at):
    session = _session(db, cards=CARDS[:4])
    ratings = iter([Rating.Again, Rating.Hard, Rating.Good, Rating.Again, Rating.Hard] * 10)
    while (card := session.next_card()) is not None:
        session.rate(card, next(ratings, Rating.Good))
    assert all(schedule.load_states(db, KIND)[card.key].state == State.Review for card in CARDS[:4])


def test_the_limit_counts_cards_not_their_repeats(db, at):
    session = _session(db, limit=2)
    assert len(session.queue) == 2
    ratings = iter([Rating.Again] * 4)  # then Good, until both are learnt
    shown = []
    while (card := session.next_card()) is not None:
        shown.append(card.id)
        session.rate(card, next(ratings, Rating.Good))
    assert set(shown) == {CARDS[0].id, CARDS[1].id} and len(shown) == 8


def _graduated(key: str, due: datetime) -> FsrsCard:
    return FsrsCard(card_id=1, state=State.Review, stability=8.0, difficulty=5.0, due=due, last_review=due - 8 * DAY)


def test_due_means_due_before_the_end_of_the_study_day_most_overdue_first(db, at):
    # Graduated cards due at different times around T0 (Monday 09:00); the study day ends at 04:00.
    offsets = {0: -3 * DAY, 1: -DAY, 2: timedelta(hours=10), 3: timedelta(hours=20), 4: 3 * DAY}
    for index, offset in offsets.items():
        schedule.adopt(db, KIND, _graduated(CARDS[index].key, T0 + offset), CARDS[index].key)
    session = _session(db, cards=CARDS[:5], new_per_day=0)
    # Cards 2 (19:00 today) and 3 (05:00 tomorrow) differ: only the first is due this study day.
    assert [card.id for card in session.queue] == [CARDS[i].id for i in (0, 1, 2)]
    summary = session.summary()
    assert (summary.due_today, summary.due_later_today, summary.due_tomorrow) == (3, 1, 1)


@pytest.mark.parametrize("starts_at, counted", [(4, 1), (0, 0)])
def test_the_day_boundary_decides_which_day_a_late_review_counts_for(db, at, monkeypatch, starts_at, counted):
    set_time_zone(monkeypatch, "Asia/Kolkata")  # UTC+5:30
    schedule.review(db, KIND, "late", Rating.Good, datetime(2030, 1, 7, 17, 30, tzinfo=timezone.utc))  # Mon 23:00
    at(datetime(2030, 1, 7, 20, 30, tzinfo=timezone.utc))  # Tuesday 02:00 in Kolkata
    # Days starting at 4 a.m.: both are Monday's study day. At midnight: Monday, then Tuesday.
    session = Session(db, [], deck_keys={"late"}, new_per_day=20, day_starts_at=starts_at)
    assert session.summary().new_today == counted


def test_cramming_goes_in_order_brings_back_again_and_changes_no_schedule(db, at):
    schedule.review(db, KIND, CARDS[0].key, Rating.Good, T0)
    before = schedule.load_states(db, KIND)
    session = _session(db, cards=CARDS[:3], cram=True)
    shown = []
    for rating in (Rating.Again, Rating.Good, Rating.Good, Rating.Good):
        card = session.next_card()
        shown.append(card.id)
        assert session.rate(card, rating) is None
    assert shown == [CARDS[0].id, CARDS[1].id, CARDS[2].id, CARDS[0].id]
    assert session.next_card() is None
    assert {key: state.to_dict() for key, state in schedule.load_states(db, KIND).items()} == {
        key: state.to_dict() for key, state in before.items()
    }
    assert len(schedule.cram_reviews(db, KIND)) == 4 and len(schedule.reviews(db, KIND)) == 1


class _Script:
    """A quiz screen that answers from a script and records what it was shown."""

    def __init__(self, ratings):
        self.ratings = iter(ratings)
        self.events = []

    def question(self, card, counts):
        self.events.append(("question", card.id, counts))

    def reveal(self):
        return True

    def answer(self, card, outcomes):
        self.outcomes = outcomes

    def rating(self):
        self.rating_given = next(self.ratings, None)
        return self.rating_given

    def rated(self, card, rating, after):
        assert self.outcomes[rating].to_dict() == after.to_dict()  # the interval shown is the one given
        self.events.append(("rated", card.id, rating))


def test_the_quiz_loop_shows_counts_and_saves_each_rating(db, at):
    screen = _Script([Rating.Good, Rating.Again])
    session = _session(db, cards=CARDS[:3], new_per_day=2)
    run(session, screen)
    questions = [event for event in screen.events if event[0] == "question"]
    assert [(event[1], event[2].learning, event[2].due, event[2].new) for event in questions] == [
        # As Anki counts them: the card on screen included.
        (CARDS[0].id, 0, 0, 2), (CARDS[1].id, 1, 0, 1), (CARDS[0].id, 2, 0, 0)
    ]
    log = schedule.reviews(db, KIND)
    assert [(r.item, r.rating) for r in log] == [(CARDS[0].key, Rating.Good), (CARDS[1].key, Rating.Again)]
    assert all(r.duration_ms is not None and r.duration_ms >= 0 for r in log)
