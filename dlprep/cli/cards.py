"""Flashcard commands: quiz, drill, cards, stats.

Modules that import fsrs or genanki are imported inside the commands that use them, so
that `dlprep --help` and the kata commands do not pay for them at start-up.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Iterator, Optional

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dlprep import clock, paths, store
from dlprep.cards.deck import DeckError, load
from dlprep.cards.model import Card, Deck, FilterError
from dlprep.cli.app import console, err_console, fail, is_interactive

if TYPE_CHECKING:
    from fsrs import Rating

    from dlprep.cards.drills import Drill
    from dlprep.cards.session import Session, Summary
    from dlprep.cards.stats import Stats

DeckOption = Annotated[
    Optional[Path],
    typer.Option(
        "--deck",
        help="Your own deck instead of the guide's: a .md file or a folder of them "
        "(dlprep's format or Obsidian Spaced Repetition's Q::A, Q:::A and ?-separated cards).",
        show_default=False,
    ),
]
SectionOption = Annotated[
    Optional[str],
    typer.Option("--section", "-s", help="Only this guide section: 3.4, or 3 for all of 3.x.", show_default=False),
]
TagOption = Annotated[
    Optional[list[str]],
    typer.Option("--tag", "-t", help="Only cards with this tag (repeat for any of several).", show_default=False),
]

RATING_HELP = "[bold]1[/]/a again · [bold]2[/]/h hard · [bold]3[/]/g good · [bold]4[/]/e easy · q quit"
INTERRUPTED = 130  # the shell's code for a process ended by Ctrl-C (128 + SIGINT)


def _load_deck(path: Path | None) -> Deck:
    try:
        deck = load(path)
    except DeckError as exc:
        fail(str(exc))
    for problem in deck.problems:
        # One line per problem, never wrapped, so editors and grep can use the file:line.
        err_console.print(Text.assemble(("error: ", "red"), str(problem), " (skipped)"), soft_wrap=True)
    if deck.problems:
        err_console.print(
            f"{len(deck.problems)} card(s) skipped; the other {len(deck.cards)} are used.", highlight=False
        )
    return deck


def _select(deck: Deck, **filters) -> list[Card]:
    try:
        return deck.select(**filters)
    except FilterError as exc:
        fail(str(exc))


@contextmanager
def _database() -> Iterator[sqlite3.Connection]:
    try:
        with store.connect() as conn:
            yield conn
    except store.StoreError as exc:
        fail(str(exc), 1)
    except sqlite3.DatabaseError as exc:  # locked past the busy timeout, disk full, damaged later on
        fail(f"{paths.database()}: {exc}. Everything saved before this is kept.", 1)


def _span(delta: timedelta) -> str:
    """A duration as people say it: "40 s", "10 min", "3 h", "8 days"."""
    seconds = max(0, round(delta.total_seconds()))
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            count = round(seconds / size)
            return f"{count} {unit}{'s' if unit == 'day' and count != 1 else ''}"
    return f"{seconds} s"


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %H:%M")


# --- reading the learner's answers -------------------------------------------------


class _Lines:
    """Without a terminal: the answer shows at once, then a rating is read from each line."""

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def reveal(self) -> bool:
        return True

    def rating(self) -> Rating | None:
        from dlprep.cards.schedule import parse_rating

        while True:
            try:
                line = console.input("rating> ")
            except EOFError:
                return None
            if line.strip().lower() in ("q", "quit"):
                return None
            rating = parse_rating(line)
            if rating is not None:
                return rating
            console.print(f"Type a rating: {RATING_HELP}", highlight=False)


class _Keys:
    """In a terminal: single key presses, no Enter needed.

    The terminal stays in cbreak mode for the whole session, so keys typed ahead are
    neither echoed nor lost; cbreak rather than raw keeps Ctrl-C a KeyboardInterrupt.
    """

    def __enter__(self) -> _Keys:
        import termios
        import tty

        self._fd = sys.stdin.fileno()
        self._saved = termios.tcgetattr(self._fd)
        self._pending = ""
        tty.setcbreak(self._fd)
        return self

    def __exit__(self, *exc_info) -> None:
        import termios

        termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def _key(self) -> str:
        while not self._pending:
            chunk = os.read(self._fd, 64).decode(errors="replace")
            if not chunk:  # the terminal went away
                return "q"
            # Arrow and function keys send escape sequences: their letters ("\x1b[A") must not rate a card.
            if not chunk.startswith("\x1b"):
                self._pending = chunk
        key, self._pending = self._pending[0], self._pending[1:]
        return key

    def reveal(self) -> bool:
        console.print("[dim]space or enter: show the answer · q: quit[/dim]")
        while (key := self._key()) not in (" ", "\n", "\r"):
            if key in ("q", "\x04"):
                return False
        return True

    def rating(self) -> Rating | None:
        from dlprep.cards.schedule import parse_rating

        console.print(RATING_HELP, highlight=False)
        while (key := self._key()) not in ("q", "\x04"):
            rating = parse_rating(key)
            if rating is not None:
                return rating
        return None


def _reader() -> _Keys | _Lines:
    # Windows has no termios: lines are read there even in a console.
    return _Keys() if is_interactive() and sys.platform != "win32" else _Lines()


# --- quiz --------------------------------------------------------------------------


def _show_question(card: Card, session: Session) -> None:
    where = " · ".join(filter(None, (card.section, ", ".join(card.tags))))
    console.print()
    console.print(
        Panel(
            Text(card.question),
            title=Text(card.id, style="bold"),
            title_align="left",
            subtitle=Text(f"{where} · {session.remaining} more queued"),
            subtitle_align="right",
            border_style="cyan",
        )
    )


def _show_answer(card: Card) -> None:
    body = Text(card.answer)
    if card.kata:
        body.append(f"\n\nPractise it: dlprep exercise {card.kata}", style="dim")
    console.print(Panel(body, title="answer", title_align="left", border_style="green"))


def _print_summary(summary: Summary, cram: bool) -> None:
    console.print()
    if not summary.shown:
        console.print("Nothing to review in this selection right now.")
    elif not summary.reviewed:
        console.print("No card rated.")
    else:
        verb = "Crammed" if cram else "Reviewed"
        console.print(
            f"{verb} {summary.reviewed} card{'s' * (summary.reviewed != 1)} · "
            f"again-rate {summary.again_rate:.0%} ({summary.again} again)"
            + (" · the schedule was not changed" if cram else ""),
            highlight=False,
        )
    parts = [f"Due now: {summary.due_now}", f"within 24 h: {summary.due_day}"]
    if summary.next_due is not None:
        parts.append(f"next in {_span(summary.next_due - clock.now())} ({_local(summary.next_due)})")
    console.print(" · ".join(parts), highlight=False)
    console.print(f"New cards not yet seen: {summary.new_left}", highlight=False)


def _run(session: Session, reader: _Keys | _Lines) -> None:
    while (card := session.next_card()) is not None:
        _show_question(card, session)
        shown = time.monotonic()
        if not reader.reveal():
            return
        _show_answer(card)
        rating = reader.rating()
        if rating is None:
            return
        after = session.rate(card, rating, round((time.monotonic() - shown) * 1000))
        if after is not None:
            console.print(f"[dim]{rating.name}: next review in {_span(after.due - clock.now())}[/dim]")


def quiz(
    section: SectionOption = None,
    tag: TagOption = None,
    limit: Annotated[
        Optional[int], typer.Option(min=1, help="Review at most this many cards.", show_default=False)
    ] = None,
    new: Annotated[int, typer.Option(min=0, help="Add up to this many unseen cards after the due ones.")] = 10,
    cram: Annotated[
        bool, typer.Option("--cram", help="Go through the selected cards in order without changing their schedule.")
    ] = False,
    deck: DeckOption = None,
) -> None:
    """Review flashcards, scheduled by spaced repetition (FSRS).

    Due cards come first, then up to --new cards you have not seen. Each question shows in a panel: press space or enter for the answer, then rate how well you recalled it with [bold]1[/]/a again, [bold]2[/]/h hard, [bold]3[/]/g good or [bold]4[/]/e easy; q quits. Each rating is saved at once: Ctrl-C or a closed terminal loses nothing rated.

    Without a terminal (answers piped in), the answer shows at once and each input line is a rating; the end of the input ends the session.

    [bold]Examples[/bold]
      [cyan]dlprep quiz[/cyan]                        due cards, then 10 new ones
      [cyan]dlprep quiz -s 3.4 --tag attention[/cyan] attention cards of section 3.4
      [cyan]dlprep quiz --limit 20 --new 0[/cyan]     at most 20 due cards, no new ones
      [cyan]dlprep quiz --cram -s 3.3[/cyan]          all of 3.3, schedule untouched
      [cyan]dlprep quiz --deck ~/notes/dl.md[/cyan]   your own cards
      [cyan]printf '3\\n1\\n' | dlprep quiz[/cyan]      scripted: good, then again
    """
    from dlprep.cards.session import Session

    selected = _select(_load_deck(deck), section=section, tags=tag or ())
    with _database() as conn:
        session = Session(conn, selected, new=new, limit=limit, cram=cram)
        interrupted = False
        try:
            with _reader() as reader:
                _run(session, reader)
        except KeyboardInterrupt:
            interrupted = True
        _print_summary(session.summary(), cram)
    if interrupted:
        raise typer.Exit(INTERRUPTED)


# --- drill -------------------------------------------------------------------------


def _typed_answer(evaluate: Callable[[str], float]) -> tuple[str, float | None] | None:
    """What the learner typed and its value (None for an empty, "show me" answer); None to stop."""
    while True:
        try:
            given = console.input("answer> ").strip()
        except EOFError:
            return None
        if given.lower() in ("q", "quit"):
            return None
        if not given:
            return given, None
        try:
            return given, evaluate(given)
        except ValueError as exc:
            console.print(f"{exc}: type a number or arithmetic such as 2*3^2 (q quits)", highlight=False)


def _drill_one(conn: sqlite3.Connection, item: Drill) -> bool | None:
    """Ask one question, record and show the result: whether it was right, None to stop."""
    from dlprep.cards import drills

    console.print()
    console.print(
        Panel(
            Text(item.question),
            title=Text(f"{item.topic} · {drills.TOPICS[item.topic].section}", style="bold"),
            title_align="left",
            border_style="cyan",
        )
    )
    typed = _typed_answer(drills.evaluate)
    if typed is None:
        return None
    given, value = typed
    right = value is not None and drills.is_correct(item, value)
    drills.record(conn, item, given, right, clock.now())
    if right:
        console.print(Text.assemble(("Correct", "green"), ": ", item.solution.splitlines()[-1]))
    else:
        console.print(Text.assemble(("Not quite", "red"), f": the answer is {drills.format_number(item.answer)}"))
        console.print(Panel(Text(item.solution), title="worked solution", title_align="left"))
    return right


def drill(
    topic: Annotated[
        Optional[list[str]],
        typer.Option(
            "--topic",
            help="Only this topic, or topics starting with it (conv, lr, ...); repeat for several.",
            show_default=False,
        ),
    ] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many questions.")] = 5,
    seed: Annotated[
        Optional[int], typer.Option(help="Seed the random parameters, to repeat a drill.", show_default=False)
    ] = None,
) -> None:
    """Numeric questions from the guide's formulas, graded as you type.

    Topics: conv-output, conv-params, pool-output, sigmoid-bound, dropout-scale, xavier-std, he-std, adam-mhat, attention-size, mha-params, lstm-params, cosine-lr, warmup-lr.

    Answer with a number or arithmetic ([cyan]0.25^4[/cyan], [cyan]sqrt(2/300)[/cyan]); an empty answer means "show me", q quits. Sizes and parameter counts must be exact, other answers within 1%. A wrong answer shows the worked solution; results go to [cyan]dlprep stats[/cyan].

    [bold]Examples[/bold]
      [cyan]dlprep drill[/cyan]                         5 questions, any topic
      [cyan]dlprep drill --topic conv -n 10[/cyan]      10 convolution questions
      [cyan]dlprep drill --topic adam --topic lr[/cyan] Adam's m̂ and LR schedules
    """
    import random

    from dlprep.cards import drills

    try:
        topics = drills.matching(topic or [])
    except ValueError as exc:
        fail(str(exc))
    rng = random.Random(seed)
    asked = correct = 0
    interrupted = False
    with _database() as conn:
        try:
            for _ in range(count):
                outcome = _drill_one(conn, rng.choice(topics).make(rng))
                if outcome is None:
                    break
                asked += 1
                correct += outcome
        except KeyboardInterrupt:
            interrupted = True
    console.print()
    console.print(f"{correct}/{asked} correct.", highlight=False)
    if interrupted:
        raise typer.Exit(INTERRUPTED)


# --- cards list / show / export ----------------------------------------------------

cards_app = typer.Typer(
    name="cards",
    help="Browse, search and export the flashcards.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@cards_app.command("list")
def list_cards(
    section: SectionOption = None,
    tag: TagOption = None,
    search: Annotated[
        Optional[str],
        typer.Option("--search", help="Only cards whose id, text or tags contain this (any case).", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list of cards (id, section, tags, question, answer, ...).")
    ] = False,
    deck: DeckOption = None,
) -> None:
    """List cards: id, section, tags and question.

    The filters combine: a section, any of the tags, and text to search for. [cyan]--json[/cyan] prints every field, for scripts.

    [bold]Examples[/bold]
      [cyan]dlprep cards list --section 3.3[/cyan]
      [cyan]dlprep cards list --tag lstm --search gate[/cyan]
      [cyan]dlprep cards list --json | jq '.[].id'[/cyan]
    """
    cards = _select(_load_deck(deck), section=section, tags=tag or (), search=search)
    if as_json:
        typer.echo(json.dumps([card.to_dict() for card in cards], ensure_ascii=False, indent=2))
        return
    # Ids and sections are what people type next, so they are never shortened; the
    # question takes the width that is left (`expand` + `ratio`), one line per card.
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("section", no_wrap=True)
    table.add_column("tags", style="dim", max_width=16, overflow="ellipsis", no_wrap=True)
    table.add_column("question", overflow="ellipsis", no_wrap=True, ratio=1)
    for card in cards:
        table.add_row(card.id, card.section, ", ".join(card.tags), card.question.splitlines()[0])
    console.print(table)
    console.print(f"{len(cards)} card{'s' * (len(cards) != 1)}", highlight=False)


@cards_app.command("show")
def show(
    card_id: Annotated[str, typer.Argument(metavar="ID", help="The card's id, as `dlprep cards list` shows it.")],
    deck: DeckOption = None,
) -> None:
    """Show one card in full, with its schedule and review history.

    Also says which file and line the card comes from, to edit it there, and which kata practises it.

    [bold]Example[/bold]
      [cyan]dlprep cards show sigmoid-derivative[/cyan]
    """
    from dlprep.cards import schedule

    loaded = _load_deck(deck)
    try:
        card = loaded.find(card_id)
    except FilterError as exc:
        fail(str(exc))
    with _database() as conn:
        state = schedule.load_states(conn).get(card.id)
        history = schedule.reviews(conn, card_id=card.id)
    console.print(Panel(Text(card.question), title=Text(card.id, style="bold"), title_align="left", border_style="cyan"))
    _show_answer(card)
    facts = Table.grid(padding=(0, 2))
    facts.add_row("section", " ".join(filter(None, (card.section, loaded.titles.get(card.section)))))
    facts.add_row("tags", ", ".join(card.tags) or "-")
    for label, value in (("kata", card.kata), ("source", card.source)):
        if value:
            facts.add_row(label, value)
    facts.add_row("file", card.location)
    if state is None:
        facts.add_row("schedule", "new: not reviewed yet")
    else:
        now = clock.now()
        when = "now" if state.due <= now else f"in {_span(state.due - now)}"
        facts.add_row("schedule", f"{state.state.name}, due {when} ({_local(state.due)})")
        facts.add_row("memory", f"stability {state.stability:.1f} days, difficulty {state.difficulty:.1f}/10")
    if history:
        ratings = ", ".join(f"{r.reviewed_at.astimezone():%d %b} {r.rating.name}" for r in history[-8:])
        facts.add_row("reviews", f"{len(history)}: {ratings}")
    console.print(facts)


@cards_app.command("export")
def export(
    anki: Annotated[
        Optional[Path], typer.Option("--anki", help="Write an Anki package here (FILE.apkg).", show_default=False)
    ] = None,
    csv_file: Annotated[
        Optional[Path], typer.Option("--csv", help="Write a CSV file here.", show_default=False)
    ] = None,
    section: SectionOption = None,
    tag: TagOption = None,
    deck: DeckOption = None,
) -> None:
    """Export cards to Anki (.apkg) or CSV.

    The Anki package has one sub-deck per section. Notes keep their identity across exports: importing a newer export updates the notes already in Anki, with their review history, instead of adding duplicates.

    [bold]Examples[/bold]
      [cyan]dlprep cards export --anki dlprep.apkg[/cyan]
      [cyan]dlprep cards export --csv rnn.csv --section 3.3[/cyan]
    """
    from dlprep.cards import export as exporter

    if anki is None and csv_file is None:
        fail("say where to write: --anki FILE.apkg and/or --csv FILE.csv")
    loaded = _load_deck(deck)
    cards = _select(loaded, section=section, tags=tag or ())
    try:
        if anki is not None:
            exporter.to_anki(cards, loaded.titles, anki)
        if csv_file is not None:
            exporter.to_csv(cards, csv_file)
    except OSError as exc:
        fail(f"cannot write {exc.filename or anki or csv_file}: {exc.strerror or exc}", 1)
    for path in filter(None, (anki, csv_file)):
        console.print(f"Wrote {len(cards)} cards to {path}", highlight=False)


# --- stats -------------------------------------------------------------------------

def _bar(value: float, width: int = 20) -> str:
    return "█" * round(value * width)


def _print_stats(stats: Stats) -> None:
    console.print(
        f"[bold]Due[/bold] today: {stats.due_today} · in the next 7 days: {stats.due_week}", highlight=False
    )
    if stats.retention is None:
        console.print("[bold]Retention[/bold]: no reviews of graduated cards in the last 30 days yet")
    else:
        console.print(
            f"[bold]Retention[/bold] (last 30 days): {stats.retention:.0%} of {stats.retention_reviews} reviews "
            "of graduated cards were recalled",
            highlight=False,
        )

    most = max((day.reviews for day in stats.days), default=0) or 1
    days = Table(title="Reviews per day, last 30 days", title_justify="left", box=None, pad_edge=False)
    for name, justify in (("day", "left"), ("reviews", "right"), ("again", "right"), ("", "left")):
        days.add_column(name, justify=justify)
    for day in stats.days:
        days.add_row(day.day.strftime("%a %d %b"), str(day.reviews), str(day.again), _bar(day.reviews / most))
    console.print()
    console.print(days)

    mastery = Table(title="Mastery per section", title_justify="left", box=None, pad_edge=False)
    for name in ("section", "cards", "new", "learning", "review", "mastery", ""):
        mastery.add_column(name, justify="left" if name == "section" or not name else "right", no_wrap=True)
    for row in stats.sections:
        mastery.add_row(
            " ".join(filter(None, (row.section, row.title))),
            str(row.cards), str(row.new), str(row.learning), str(row.review),
            f"{row.mastery:.0%}", _bar(row.mastery),
        )
    console.print()
    console.print(mastery)
    console.print("[dim]mastery: the chance FSRS gives of recalling a card of the section now (unseen cards count 0)[/dim]")

    console.print()
    if not stats.drills:
        console.print("[bold]Drills[/bold]: none yet; try [cyan]dlprep drill[/cyan]")
        return
    drills = Table(title="Drill results", title_justify="left", box=None, pad_edge=False)
    for name in ("topic", "answered", "correct", "rate", "last"):
        drills.add_column(name, justify="left" if name in ("topic", "last") else "right")
    for tally in stats.drills:
        drills.add_row(
            tally.topic, str(tally.attempts), str(tally.correct),
            f"{tally.correct / tally.attempts:.0%}", _local(tally.last),
        )
    console.print(drills)


def stats(deck: DeckOption = None) -> None:
    """Your progress: cards due, reviews per day, retention, mastery per section, drill results.

    Retention is the share of reviews of graduated cards (past their learning steps) not rated again; mastery is the chance FSRS gives of recalling a section's cards now. Days are local days.

    [bold]Examples[/bold]
      [cyan]dlprep stats[/cyan]
      [cyan]dlprep stats --deck ~/notes[/cyan]         mastery of your own deck
      [cyan]DLPREP_NOW=2030-01-02 dlprep stats[/cyan]  as it will be then (UTC)
    """
    from dlprep.cards.stats import compute

    loaded = _load_deck(deck)
    with _database() as conn:
        figures = compute(conn, loaded, clock.now())
    _print_stats(figures)


def register(app: typer.Typer) -> None:
    """Add the flashcard commands to the root application."""
    app.command()(quiz)
    app.command()(drill)
    app.command()(stats)
    app.add_typer(cards_app)
