"""Flashcard commands: quiz, drill, stats, and `cards` (list, show, tags, export, prune, import-sr, config).

Each parses its options, calls `dlprep.cards`, and draws the result; the quiz's order, due
cards, daily limits and study days are decided there. Modules that import fsrs or genanki
are imported inside the commands that use them, so `dlprep --help` does not pay for them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Iterator, Optional

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dlprep import clock, paths, store
from dlprep.cards import config
from dlprep.cards.deck import DeckError, Options, load
from dlprep.cards.model import Card, Deck, FilterError, namespace_of
from dlprep.cli import keys as key_reader
from dlprep.cli.app import console, err_console, fail, is_interactive, plural

if TYPE_CHECKING:
    from fsrs import Card as FsrsCard
    from fsrs import Rating

    from dlprep.cards.drills import Drill
    from dlprep.cards.session import Counts, Summary
    from dlprep.cards.stats import Stats
    from dlprep.katas.stats import KataStats
    from dlprep.plan import Streak

DeckOption = Annotated[
    Optional[Path],
    typer.Option(
        "--deck",
        help="Your own deck instead of the guide's: a .md file, a folder of them or an Obsidian vault "
        "(dlprep's format, or Obsidian Spaced Repetition's Q::A, Q:::A, ?-separated and ==cloze== cards).",
        show_default=False,
    ),
]
SectionOption = Annotated[
    Optional[str],
    typer.Option("--section", "-s", help="Only this guide section: 3.4, or 3 for all of 3.x.", show_default=False),
]
TagOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--tag", "-t", help="Only cards with this tag or one nested under it (repeat for any of several).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON, for scripts.")]

INTERRUPTED = 130  # the shell's code for a process ended by Ctrl-C (128 + SIGINT)


def _settings() -> config.Settings:
    try:
        return config.load()
    except config.ConfigError as exc:
        fail(str(exc))


def _options(settings: config.Settings) -> Options:
    return Options(flashcard_tags=settings.flashcard_tags, clozes=frozenset(settings.clozes))


def _load_deck(path: Path | None, settings: config.Settings) -> Deck:
    try:
        deck = load(path, _options(settings))
    except DeckError as exc:
        fail(str(exc))
    for problem in deck.problems:
        # One line per problem, never wrapped, so editors and grep can use the file:line.
        err_console.print(Text.assemble(("error: ", "red"), str(problem), " (skipped)"), soft_wrap=True)
    if deck.problems:
        err_console.print(
            f"{plural(len(deck.problems), 'card')} skipped; the other {len(deck.cards)} are used.", highlight=False
        )
    return deck


def _select(deck: Deck, **filters) -> list[Card]:
    try:
        return deck.select(**filters)
    except FilterError as exc:
        fail(str(exc))


def _find(deck: Deck, name: str) -> Card:
    try:
        return deck.find(name)
    except FilterError as exc:
        fail(str(exc))


@contextmanager
def _database(*, write: bool) -> Iterator[sqlite3.Connection]:
    try:
        with store.connect(write=write) as conn:
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


def _interval(delta: timedelta) -> str:
    """An interval as Anki's rating buttons show it: "<1m", "6m", "3h", "8d", "1.5mo", "2.1y"."""
    minutes = delta.total_seconds() / 60
    if minutes <= 1:
        return "<1m"
    if minutes < 60:
        return f"{round(minutes)}m"
    if minutes < 24 * 60:
        return f"{round(minutes / 60)}h"
    days = minutes / (24 * 60)
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %H:%M")


# --- the quiz on the terminal --------------------------------------------------------


def _rating_keys(outcomes: dict[Rating, FsrsCard] | None) -> str:
    from fsrs import Rating

    keys = []
    for rating in Rating:
        # From the moment the outcome was computed for: the interval the rating will give.
        shown = f" {_interval(outcomes[rating].due - outcomes[rating].last_review)}" if outcomes else ""
        keys.append(f"[bold]{int(rating)}[/] {rating.name.lower()}{shown}")
    return " · ".join(keys) + " · q quit"


class _Lines:
    """Without a terminal: the answer shows at once, then a rating is read from each line."""

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def reveal(self) -> bool:
        return True

    def rating(self, keys: str) -> Rating | None:
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
            console.print(f"Type a rating (1-4 or a/h/g/e): {keys}", highlight=False)


class _Keys(key_reader.Keys):
    """In a terminal: single key presses, kept in cbreak mode for the whole session."""

    def reveal(self) -> bool:
        console.print("[dim]space or enter: show the answer · q: quit[/dim]")
        while (key := self.read()) not in (" ", "\n", "\r"):
            if key in ("q", "\x04"):
                return False
        return True

    def rating(self, keys: str) -> Rating | None:
        from dlprep.cards.schedule import parse_rating

        while (key := self.read()) not in ("q", "\x04"):
            rating = parse_rating(key)
            if rating is not None:
                return rating
        return None


class _Screen:
    """The quiz as the learner sees it (`session.QuizScreen`), reading answers with `reader`."""

    def __init__(self, reader: _Keys | _Lines, cram: bool) -> None:
        self.reader = reader
        self.cram = cram
        self.keys = ""

    def question(self, card: Card, counts: Counts) -> None:
        if self.cram:
            left = f"{counts.due + counts.new} more to cram"
        else:
            left = f"{counts.learning} learning · {counts.due} due · {counts.new} new"
        where = " · ".join(filter(None, (card.section, ", ".join(card.tags), left)))
        console.print()
        console.print(
            Panel(
                Text(card.question),
                title=Text(card.id, style="bold"),
                title_align="left",
                subtitle=Text(where),
                subtitle_align="right",
                border_style="cyan",
            )
        )

    def reveal(self) -> bool:
        return self.reader.reveal()

    def answer(self, card: Card, outcomes: dict[Rating, FsrsCard] | None) -> None:
        _show_answer(card)
        self.keys = _rating_keys(outcomes)
        console.print(self.keys, highlight=False)

    def rating(self) -> Rating | None:
        return self.reader.rating(self.keys)

    def rated(self, card: Card, rating: Rating, after: FsrsCard | None) -> None:
        if after is not None:
            console.print(f"[dim]{rating.name}: next review in {_span(after.due - clock.now())}[/dim]")


def _reader() -> _Keys | _Lines:
    # Where single keys cannot be read (piped, or a Windows console), lines are.
    return _Keys() if key_reader.available() else _Lines()


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
            f"{verb} {plural(summary.reviewed, 'card')} · "
            f"again-rate {summary.again_rate:.0%} ({summary.again} again)"
            + (" · the schedule was not changed" if cram else ""),
            highlight=False,
        )
    later = f" ({summary.due_later_today} later today)" if summary.due_later_today else ""
    parts = [f"Due today: {summary.due_today}{later}", f"tomorrow: {summary.due_tomorrow}"]
    if summary.next_due is not None:
        parts.append(f"next in {_span(summary.next_due - clock.now())} ({_local(summary.next_due)})")
    console.print(" · ".join(parts), highlight=False)
    console.print(
        f"New today: {summary.new_today} of {summary.new_per_day} · not yet seen: {summary.unseen}",
        highlight=False,
    )


def quiz(
    section: SectionOption = None,
    tag: TagOption = None,
    limit: Annotated[
        Optional[int],
        typer.Option(min=1, help="Take at most this many cards (repeats of cards in learning do not count).",
                     show_default=False),
    ] = None,
    new: Annotated[
        Optional[int],
        typer.Option(min=0, help="Today's limit of new cards, counting those already seen today "
                     "(default: new_per_day, 20).", show_default=False),
    ] = None,
    cram: Annotated[
        bool, typer.Option("--cram", help="Go through the selected cards in order without changing their schedule.")
    ] = False,
    deck: DeckOption = None,
) -> None:
    """Review flashcards, scheduled by spaced repetition (FSRS).

    Cards due today come first (most overdue first), then new ones, up to 20 new cards a day across sessions ([cyan]dlprep cards config new_per_day 30[/cyan] or --new). Press space or enter for the answer, then rate how well you recalled it: each rating key shows when the card comes back (1 again <1m · 2 hard 6m · 3 good 10m · 4 easy 8d); a/h/g/e work too, q quits. A card rated into learning comes back in the same session, so a session ends with its cards learnt. Each rating is saved at once: Ctrl-C or a closed terminal loses nothing rated.

    Days start at 4 a.m. local time, as in Anki ([cyan]dlprep cards config day_starts_at 0[/cyan] for midnight). Without a terminal (answers piped in), the answer shows at once and each input line is a rating; the end of the input ends the session.

    [bold]Examples[/bold]
      [cyan]dlprep quiz[/cyan]                           today's due cards, then new ones
      [cyan]dlprep quiz -s 3.4 --tag attention[/cyan]    attention cards of section 3.4
      [cyan]dlprep quiz --limit 20 --new 0[/cyan]        at most 20 due cards, no new ones
      [cyan]dlprep quiz --cram -s 3.3[/cyan]             all of 3.3, schedule untouched
      [cyan]dlprep quiz --deck ~/vault[/cyan]            your Obsidian notes tagged #flashcards
      [cyan]printf '3\\n1\\n' | dlprep quiz[/cyan]         scripted: good, then again
    """
    from dlprep.cards import session as sessions

    settings = _settings()
    loaded = _load_deck(deck, settings)
    selected = _select(loaded, section=section, tags=tag or ())
    with _database(write=True) as conn:
        if deck is not None:
            _adopt_legacy(conn, loaded)
        session = sessions.Session(
            conn,
            selected,
            deck_keys={card.key for card in loaded.cards},
            new_per_day=settings.new_per_day if new is None else new,
            day_starts_at=settings.day_starts_at,
            limit=limit,
            cram=cram,
        )
        finished = run_session(session)
        if finished is not None and deck is None and not cram:
            from dlprep import plan

            plan.mark_if_done(settings=settings, deck=loaded, conn=conn)
    if finished is None:
        raise typer.Exit(INTERRUPTED)


def run_session(session) -> bool | None:
    """Run a quiz session on the terminal, then print its summary: whether it ran out of cards
    (False: the learner quit; None: Ctrl-C, after which every rating given is saved all the same)."""
    from dlprep.cards import session as sessions

    try:
        with _reader() as reader:
            finished = sessions.run(session, _Screen(reader, session.cram))
    except KeyboardInterrupt:
        finished = None
    _print_summary(session.summary(), session.cram)
    return finished


def _adopt_legacy(conn: sqlite3.Connection, deck: Deck, shipped_ids: set[str] | None = None) -> None:
    """Move the pre-namespace history of a user deck's cards to them; `shipped_ids`, the guide
    deck's card ids, where the caller has that deck loaded (else it is read here)."""
    from dlprep.cards.history import adopt_legacy

    if shipped_ids is None:
        shipped_ids = {card.id for card in load().cards}
    moved = adopt_legacy(conn, deck, shipped_ids)
    if moved:
        err_console.print(f"Kept the history of {plural(moved, 'card')} reviewed before decks had namespaces.")


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
            console.print(f"{escape(str(exc))}: type a number or arithmetic such as 2*3^2 (q quits)", highlight=False)


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

    Topics: conv-output, conv-params, pool-output, spp-length, inception-params, reduction-savings, sigmoid-bound, dropout-scale, xavier-std, he-std, adam-mhat, attention-size, mha-params, attention-memory, flash-memory, linformer-cost, vit-tokens, mlm-counts, nucleus-size, temperature, lstm-params, cosine-lr, warmup-lr.

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
    with _database(write=True) as conn:
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


# --- cards: list, show, tags -------------------------------------------------------

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
        typer.Option("--search", help="Only cards whose key, text or tags contain this (any case).", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list of cards (id, key, section, tags, question, answer, ...).")
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
    loaded = _load_deck(deck, _settings())
    cards = _select(loaded, section=section, tags=tag or (), search=search)
    if as_json:
        typer.echo(json.dumps([card.to_dict() for card in cards], ensure_ascii=False, indent=2))
        return
    # Ids, sections and tags are what people type next, so they are never shortened; the
    # question takes the width that is left, one line per card. Where that would leave the
    # question too little room (long ids at 80 columns), it goes on a line of its own.
    ids = [loaded.name_of(card) for card in cards]
    tag_lists = [", ".join(card.tags) for card in cards]
    id_width = max(map(len, ids), default=2)
    section_width = max([len("section"), *(len(card.section) for card in cards)])
    tags_width = min(max(map(len, tag_lists), default=4), max([24, *(len(t) for c in cards for t in c.tags)]))
    if console.width - id_width - section_width - tags_width - 6 >= 30:
        table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("section", no_wrap=True)
        table.add_column("tags", style="dim", max_width=tags_width)  # wraps between tags, never cuts one
        table.add_column("question", overflow="ellipsis", no_wrap=True, ratio=1)
        for card, shown_id, tag_list in zip(cards, ids, tag_lists):
            table.add_row(*map(Text, (shown_id, card.section, tag_list, card.question.splitlines()[0])))
        console.print(table)
    else:
        def row(*cells: Text) -> Table:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(width=id_width, no_wrap=True)
            grid.add_column(width=section_width, no_wrap=True)
            grid.add_column()  # the rest of the width: a long tag list wraps between tags
            grid.add_row(*cells)
            return grid

        console.print(row(*(Text(name, style="bold") for name in ("id", "section", "tags"))))
        for card, shown_id, tag_list in zip(cards, ids, tag_lists):
            console.print(row(Text(shown_id, style="cyan"), Text(card.section), Text(tag_list, style="dim")))
            console.print(Text("    " + card.question.splitlines()[0]), no_wrap=True, overflow="ellipsis", highlight=False)
    console.print(plural(len(cards), "card"), highlight=False)


@cards_app.command("tags")
def tags(as_json: JsonOption = False, deck: DeckOption = None) -> None:
    """Every tag of the deck, with how many cards carry it.

    [bold]Examples[/bold]
      [cyan]dlprep cards tags[/cyan]
      [cyan]dlprep cards tags --deck ~/vault[/cyan]
    """
    counts = _load_deck(deck, _settings()).tag_counts()
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        typer.echo(json.dumps(dict(ordered), ensure_ascii=False, indent=2))
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("tag", style="cyan", no_wrap=True)
    table.add_column("cards", justify="right")
    for name, count in ordered:
        table.add_row(Text(name), str(count))
    console.print(table)
    console.print(plural(len(ordered), "tag"), highlight=False)


def _history(card: Card) -> tuple[FsrsCard | None, list, list]:
    from dlprep.cards import schedule
    from dlprep.cards.session import KIND

    with _database(write=False) as conn:
        state = schedule.state_of(conn, KIND, card.key)
        return state, schedule.reviews(conn, KIND, item=card.key), schedule.cram_reviews(conn, KIND, item=card.key)


@cards_app.command("show")
def show(
    card_id: Annotated[str, typer.Argument(metavar="ID", help="The card's id (or key), as `dlprep cards list` shows it.")],
    as_json: JsonOption = False,
    deck: DeckOption = None,
) -> None:
    """Show one card in full, with its schedule and review history.

    Also says which file and line the card comes from, to edit it there, and which kata practises it. Cram ratings are listed apart: they are not reviews.

    [bold]Examples[/bold]
      [cyan]dlprep cards show sigmoid-derivative[/cyan]
      [cyan]dlprep cards show sigmoid-derivative --json[/cyan]
    """
    loaded = _load_deck(deck, _settings())
    card = _find(loaded, card_id)
    state, history, crammed = _history(card)
    if as_json:
        from dlprep.cards.schedule import describe

        ratings = {"reviews": [r.to_dict() for r in history], "crammed": [r.to_dict() for r in crammed]}
        data = {**card.to_dict(), "schedule": describe(state), **ratings}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(Panel(Text(card.question), title=Text(card.id, style="bold"), title_align="left", border_style="cyan"))
    _show_answer(card)
    facts = Table.grid(padding=(0, 2))
    facts.add_row("key", Text(card.key))
    facts.add_row("section", Text(" ".join(filter(None, (card.section, loaded.titles.get(card.section))))))
    facts.add_row("tags", Text(", ".join(card.tags) or "-"))
    for label, value in (("kata", card.kata), ("source", card.source), ("parts", ", ".join(card.parts))):
        if value:
            facts.add_row(label, Text(value))
    facts.add_row("file", Text(card.location))
    if state is None:
        facts.add_row("schedule", "new: not reviewed yet")
    else:
        now = clock.now()
        when = "now" if state.due <= now else f"in {_span(state.due - now)}"
        facts.add_row("schedule", f"{state.state.name}, due {when} ({_local(state.due)})")
        facts.add_row("memory", f"stability {state.stability:.1f} days, difficulty {state.difficulty:.1f}/10")
    for label, logged in (("reviews", history), ("crammed", crammed)):
        if logged:
            ratings = ", ".join(f"{r.reviewed_at.astimezone():%d %b} {r.rating.name}" for r in logged[-8:])
            facts.add_row(label, f"{len(logged)}: {ratings}")
    console.print(facts)


# --- cards: export, prune, import-sr, config ----------------------------------------


@cards_app.command("export")
def export(
    anki: Annotated[
        Optional[str], typer.Option("--anki", metavar="FILE.apkg", help="Write an Anki package here.", show_default=False)
    ] = None,
    csv_file: Annotated[
        Optional[str],
        typer.Option("--csv", metavar="FILE.csv", help="Write CSV for Anki's importer here (- for stdout).",
                     show_default=False),
    ] = None,
    section: SectionOption = None,
    tag: TagOption = None,
    deck: DeckOption = None,
) -> None:
    """Export cards to Anki (.apkg) or CSV for Anki's importer.

    The Anki package has one sub-deck per section. Notes keep their identity across exports (a GUID from the card's deck and id, never its text): importing a newer export updates the notes already in Anki, with their review history, instead of adding duplicates. Math ($…$, $$…$$) becomes Anki's \\(…\\) and \\[…\\], code blocks <pre><code>. The CSV starts with the header lines Anki's importer reads (separator, HTML, GUID, deck and tags columns).

    [bold]Examples[/bold]
      [cyan]dlprep cards export --anki dlprep.apkg[/cyan]
      [cyan]dlprep cards export --csv rnn.csv --section 3.3[/cyan]
      [cyan]dlprep cards export --csv - --deck ~/vault | less[/cyan]
    """
    from dlprep.cards import export as exporter

    if anki is None and csv_file is None:
        fail("say where to write: --anki FILE.apkg and/or --csv FILE.csv (- for stdout)")
    for option, path, suffixes in (("--anki", anki, exporter.ANKI_SUFFIXES), ("--csv", csv_file, exporter.CSV_SUFFIXES)):
        if path is not None and (fixed := exporter.misnamed(path, suffixes)):
            fail(f"{option} writes {suffixes[0]} files: name it {fixed}")
    loaded = _load_deck(deck, _settings())
    cards = _select(loaded, section=section, tags=tag or ())
    written = []
    try:
        if anki is not None:
            exporter.to_anki(cards, loaded.titles, anki)
            written.append(anki)
        if csv_file == "-":
            exporter.to_csv(cards, loaded.titles, sys.stdout)
        elif csv_file is not None:
            with open(csv_file, "w", encoding="utf-8", newline="") as file:
                exporter.to_csv(cards, loaded.titles, file)
            written.append(csv_file)
    except BrokenPipeError:  # `--csv - | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except OSError as exc:
        fail(f"cannot write {exc.filename or anki or csv_file}: {exc.strerror or exc}", 1)
    for path in written:
        err_console.print(f"Wrote {len(cards)} cards to {escape(str(path))}", highlight=False)


@cards_app.command("prune")
def prune(
    deck: Annotated[
        Optional[list[Path]],
        typer.Option("--deck", help="Your decks to check too, besides the guide's (repeat for several).",
                     show_default=False),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Remove without asking.")] = False,
) -> None:
    """List, then remove, the review history of cards no longer in their deck.

    A card renamed or deleted leaves its history behind. Only decks given here are judged (the guide's always is): histories under other decks' namespaces are left alone and counted. It asks before removing anything; without a terminal, --yes is needed.

    [bold]Examples[/bold]
      [cyan]dlprep cards prune[/cyan]
      [cyan]dlprep cards prune --deck ~/vault --yes[/cyan]
    """
    from dlprep.cards.history import orphans
    from dlprep.cards.schedule import forget
    from dlprep.cards.session import KIND

    settings = _settings()
    decks = [_load_deck(None, settings)] + [_load_deck(path, settings) for path in deck or []]
    with _database(write=True) as conn:
        shipped_ids = {card.id for card in decks[0].cards}
        for user_deck in decks[1:]:
            _adopt_legacy(conn, user_deck, shipped_ids)
        found = orphans(conn, decks)
        if found.elsewhere:
            spaces = sorted({namespace_of(key) for key in found.elsewhere})
            console.print(
                f"The history of {plural(len(found.elsewhere), 'card')} belongs to decks not given here "
                f"({', '.join(spaces)}); "
                "add --deck to check them.",
                highlight=False,
            )
        if not found.gone:
            console.print("No history of a deleted or renamed card: nothing to prune.")
            return
        table = Table(box=None, header_style="bold", pad_edge=False)
        table.add_column("card", style="cyan", overflow="fold")
        table.add_column("ratings", justify="right")
        for key, ratings in found.gone.items():
            table.add_row(Text(key), str(ratings))
        console.print(table)
        if not yes:
            if not is_interactive():
                fail(f"the history of {plural(len(found.gone), 'card')} would be removed; run again with --yes")
            if not typer.confirm(f"Remove the history of {plural(len(found.gone), 'card')}?", default=False):
                console.print("Nothing removed.")
                return
        removed = forget(conn, KIND, found.gone, clock.now())
    console.print(
        f"Removed the history of {plural(len(found.gone), 'card')} ({plural(removed, 'rating')}).", highlight=False
    )


@cards_app.command("import-sr")
def import_sr(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The notes: a .md file, a folder or an Obsidian vault.")],
) -> None:
    """Bring over, once, the schedules Obsidian Spaced Repetition left in your notes.

    The plugin writes them after each card (<!--SR:!2026-12-01,3,250-->). Each card's due date, interval and ease become its FSRS state, once: a card dlprep already schedules keeps its own history, so running it again changes nothing. Your notes are only read.

    [bold]Example[/bold]
      [cyan]dlprep cards import-sr ~/vault[/cyan]
    """
    from dlprep.cards.srimport import import_deck

    settings = _settings()
    loaded = _load_deck(path, settings)
    with _database(write=True) as conn:
        _adopt_legacy(conn, loaded)
        report = import_deck(conn, loaded, settings.day_starts_at)
    for problem in report.problems:
        err_console.print(Text.assemble(("error: ", "red"), problem, " (skipped)"), soft_wrap=True)
    console.print(
        f"Imported the schedule of {report.imported} cards · {report.kept} already scheduled by dlprep (kept) · "
        f"{report.without} without one (new)",
        highlight=False,
    )


@cards_app.command("config")
def configure(
    key: Annotated[Optional[str], typer.Argument(metavar="KEY", help="A setting to show or set.", show_default=False)] = None,
    value: Annotated[
        Optional[str], typer.Argument(metavar="VALUE", help="Its new value (lists: names separated by commas).",
                                      show_default=False)
    ] = None,
) -> None:
    """Show or change the flashcard settings (kept in config.toml in the data folder).

    new_per_day: new cards introduced per day, across sessions (20). day_starts_at: the hour a study day begins (4, as in Anki). flashcard_tags: in an Obsidian vault, notes with one of these tags are decks (flashcards). clozes: which cloze syntaxes to read: highlight (==x==), bold (**x**), curly ({{x}}).

    [bold]Examples[/bold]
      [cyan]dlprep cards config[/cyan]                          every setting
      [cyan]dlprep cards config new_per_day 30[/cyan]
      [cyan]dlprep cards config clozes highlight,bold[/cyan]
    """
    try:
        if key is not None:
            config.check_key(key)
        if key is not None and value is not None:
            # Written before the file is read whole: setting a value is how a bad one is repaired.
            file = config.set_value(key, config.parse_value(key, value))
            console.print(f"Saved in {escape(str(file))}", highlight=False)
    except config.ConfigError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {config.location()}: {exc.strerror or exc}", 1)
    current = _settings()
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("setting", "value", ""):
        table.add_column(column, style="cyan" if column == "setting" else None)
    for name, description in config.DESCRIPTIONS.items():
        if key in (None, name):
            shown = getattr(current, name)
            table.add_row(name, ", ".join(shown) if isinstance(shown, tuple) else str(shown), Text(description, style="dim"))
    console.print(table)
    if key is None:
        console.print(f"[dim]{escape(str(config.location()))}[/dim]", highlight=False)


# --- stats -------------------------------------------------------------------------


def _bar(value: float, width: int = 20) -> str:
    return "█" * round(value * width)


def _print_stats(stats: Stats, new_per_day: int) -> None:
    later = f" ({stats.due_later_today} later today)" if stats.due_later_today else ""
    console.print(
        f"[bold]Due[/bold] today: {stats.due_today}{later} · tomorrow: {stats.due_tomorrow} · "
        f"in the next 7 days: {stats.due_week}",
        highlight=False,
    )
    console.print(f"[bold]New[/bold] today: {stats.new_today} of {new_per_day}", highlight=False)
    if not stats.reviews_ever:
        console.print(
            f"\nNo reviews yet. Start with [cyan]dlprep quiz[/cyan]: {new_per_day} new cards a day, and FSRS "
            "brings each back just before you would forget it."
        )
    else:
        if stats.retention is None:
            console.print("[bold]Retention[/bold]: no reviews of graduated cards in the last 30 days yet")
        else:
            console.print(
                f"[bold]Retention[/bold] (last 30 days): {stats.retention:.0%} of {stats.retention_reviews} reviews "
                "of graduated cards were recalled",
                highlight=False,
            )
        _print_days(stats)
    mastery = Table(title="Mastery per section", title_justify="left", box=None, pad_edge=False)
    for name in ("section", "cards", "new", "learning", "review", "mastery", ""):
        # Long section titles wrap, so that the figures keep their columns at 80 columns.
        mastery.add_column(name, justify="left" if name == "section" or not name else "right", no_wrap=name != "section")
    for row in stats.sections:
        mastery.add_row(
            Text(" ".join(filter(None, (row.section, row.title)))),
            str(row.cards), str(row.new), str(row.learning), str(row.review),
            f"{row.mastery:.0%}", _bar(row.mastery),
        )
    console.print()
    console.print(mastery)
    console.print("[dim]mastery: the chance FSRS gives of recalling a card of the section now (unseen cards count 0)[/dim]")
    _print_drills(stats)


def _print_days(stats: Stats) -> None:
    console.print()
    if not stats.days:
        console.print("No reviews in the last 30 days.")
        return
    most = max(day.reviews for day in stats.days) or 1
    table = Table(title="Reviews per day", title_justify="left", box=None, pad_edge=False)
    for name, justify in (("day", "left"), ("reviews", "right"), ("again", "right"), ("crammed", "right"), ("", "left")):
        table.add_column(name, justify=justify)
    for day in stats.days:
        table.add_row(
            day.day.strftime("%a %d %b"), str(day.reviews), str(day.again), str(day.crammed or ""),
            _bar(day.reviews / most),
        )
    console.print(table)
    console.print("[dim]crammed: ratings given with --cram, which are not reviews and change no schedule[/dim]")


def _print_drills(stats: Stats) -> None:
    console.print()
    if not stats.drills:
        console.print("[bold]Drills[/bold]: none yet; try [cyan]dlprep drill[/cyan]")
        return
    drills = Table(title="Drill results", title_justify="left", box=None, pad_edge=False)
    for name in ("topic", "answered", "correct", "rate", "last"):
        drills.add_column(name, justify="left" if name in ("topic", "last") else "right")
    for tally in stats.drills:
        drills.add_row(
            Text(tally.topic), str(tally.attempts), str(tally.correct),
            f"{tally.correct / tally.attempts:.0%}", _local(tally.last),
        )
    console.print(drills)


def _print_memory(katas: KataStats, streak: Streak, heat: list, ahead: list) -> None:
    from dlprep.cli import charts

    console.print()
    console.print(
        f"[bold]Katas[/bold]: {katas.passed} of {katas.katas} passed · "
        f"{plural(katas.reimplementations, 're-implementation')} · due today: {katas.due_today}, "
        f"this week: {katas.due_week}",
        highlight=False,
    )
    if katas.retention is not None:
        console.print(
            f"[bold]Retention[/bold] of katas: {katas.retention:.0%} of "
            f"{plural(katas.reimplementations, 're-implementation')} passed without viewing the solution",
            highlight=False,
        )
    console.print(
        f"[bold]Streak[/bold]: {plural(streak.current, 'day')} in a row with the day's plan done "
        f"(best {streak.best}, {streak.completed} in all)",
        highlight=False,
    )
    console.print()
    weeks = len(heat) // 7 + (len(heat) % 7 > 0)
    console.print(f"[bold]Reviews in the last {weeks} weeks[/bold] (cards and katas): {sum(d.total for d in heat)}", highlight=False)
    console.print(charts.heatmap(heat), soft_wrap=True)
    console.print()
    console.print(f"[bold]Due in the next {len(ahead)} days[/bold] (cards and katas): {sum(d.total for d in ahead)}", highlight=False)
    console.print(charts.forecast(ahead), soft_wrap=True)


def stats(
    deck: DeckOption = None,
    html: Annotated[
        Optional[Path],
        typer.Option("--html", metavar="FILE", help="Also write the figures as one self-contained web page (no script, nothing fetched).", show_default=False),
    ] = None,
) -> None:
    """Your progress: cards and katas due, reviews, retention, streak, a heatmap, a 30-day forecast, mastery.

    Everything counts the deck's own cards (the guide's, or --deck's) and the katas, in study days of your time zone, starting at 4 a.m. as in Anki ([cyan]dlprep cards config day_starts_at[/cyan]). Retention is the share of reviews of graduated cards (past their learning steps) not rated again, and of katas written again without viewing the solution; mastery is the chance FSRS gives of recalling a section's cards now. The streak counts days whose plan ([cyan]dlprep today[/cyan]) was done. Cram ratings are shown apart and never count as reviews.

    [bold]Examples[/bold]
      [cyan]dlprep stats[/cyan]
      [cyan]dlprep stats --html progress.html[/cyan]   the same, as a page with plots
      [cyan]dlprep stats --deck ~/notes[/cyan]          your own deck
      [cyan]DLPREP_NOW=2030-01-02 dlprep stats[/cyan]   as it will be then (UTC)
    """
    from dlprep import charts, plan
    from dlprep.cards.days import study_date
    from dlprep.cards.stats import compute
    from dlprep.katas import stats as kata_stats

    if html is not None and not html.parent.is_dir():  # said before the figures, not after a screenful
        fail(f"cannot write {html}: there is no folder {html.parent}", 1)
    settings = _settings()
    loaded = _load_deck(deck, settings)
    now = clock.now()
    keys = {card.key for card in loaded.cards}
    with _database(write=False) as conn:
        figures = compute(conn, loaded, now, settings.day_starts_at)
        katas = kata_stats.compute(conn, now, settings.day_starts_at)
        streak = plan.streak(conn, study_date(now, settings.day_starts_at))
        heat = charts.heatmap(conn, keys, now, settings.day_starts_at)
        ahead = charts.forecast(conn, keys, now, settings.day_starts_at)
    _print_stats(figures, settings.new_per_day)
    _print_memory(katas, streak, heat, ahead)
    if html is not None:
        from dlprep.stats_page import render

        try:
            html.write_text(render(figures, katas, streak, heat, ahead, now), encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {html}: {exc.strerror or exc}", 1)
        err_console.print(f"Wrote {escape(str(html))}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the flashcard commands to the root application."""
    app.command()(quiz)
    app.command()(drill)
    app.command()(stats)
    app.add_typer(cards_app)
