"""`dlprep stats` with the katas: passes, re-implementations, their retention, the streak, a heatmap of
reviews and a 30-day forecast, in the terminal and as a page a real browser renders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fsrs import Rating

from dlprep import charts, paths, plan, store
from dlprep.cards import schedule
from dlprep.cards.deck import load as load_deck
from dlprep.cards.session import KIND

from .conftest import DAY, MINUTE, T0, begin, grade, kata_state

DECK = load_deck()
KEYS = {card.key for card in DECK.cards}
BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)), None)


@pytest.fixture
def history(at, no_fuzz):
    """Four weeks of a learner: other cards reviewed on some days (most on T0), two katas passed, one of
    them written again (once without the solution, once with it), one day's plan done."""
    with store.connect() as conn:
        for number, (offset, count) in enumerate(((-27, 3), (-20, 1), (-6, 2), (0, 8))):
            for card in DECK.cards[40 + 10 * number : 40 + 10 * number + count]:
                schedule.review(conn, KIND, card.key, Rating.Easy, T0 + offset * DAY)
    for kata, started in (("softmax", T0 - 20 * DAY), ("dropout", T0 - 3 * DAY)):
        at(started)
        begin(kata)
        at(started + 15 * MINUTE)
        grade(kata, True)  # Good: due two days later
    for with_solution in (False, True):
        at(kata_state("softmax").due)
        begin("softmax")
        if with_solution:
            progress_solution("softmax")
        at(kata_state("softmax").due + 20 * MINUTE)
        grade("softmax", True)
    at(T0)
    with store.connect() as conn:
        plan.record_if_done(conn, plan.Plan((T0 - DAY).date(), 0, 0, 0.0, (), True, None), T0 - DAY)


def progress_solution(kata: str) -> None:
    from dlprep.katas import progress

    progress.solution_shown(kata)


def test_heatmap_counts_every_review_per_study_day_from_a_monday(history):
    with store.connect(write=False) as conn:
        days = charts.heatmap(conn, KEYS, T0, 4)
    assert days[0].day.weekday() == 0 and days[-1].day == T0.date() and len(days) == 25 * 7 + 1
    counts = {day.day: (day.cards, day.katas) for day in days if day.total}
    assert counts[T0.date()] == (8, 0)
    assert counts[(T0 - 27 * DAY).date()] == (3, 0) and counts[(T0 - 6 * DAY).date()] == (2, 0)
    assert sum(day.katas for day in days) == 4  # four rated passes


def test_forecast_counts_what_falls_due_each_day_overdue_today(history, at):
    at(T0 + 3 * DAY)  # the cards of T0 - 6 are overdue by now
    with store.connect(write=False) as conn:
        ahead = charts.forecast(conn, KEYS, T0 + 3 * DAY, 4)
        cards = schedule.load_states(conn, KIND)
    assert len(ahead) == 30 and ahead[0].day == (T0 + 3 * DAY).date()
    tomorrow_starts = T0.replace(hour=4) + 4 * DAY
    assert ahead[0].cards == sum(state.due < tomorrow_starts for state in cards.values()) > 0
    assert sum(day.cards for day in ahead) == sum(state.due < tomorrow_starts + 29 * DAY for state in cards.values())
    assert sum(day.katas for day in ahead) == 2


def test_stats_shows_katas_streak_heatmap_and_forecast_in_80_columns(history, run):
    result = subprocess.run(
        [sys.executable, "-m", "dlprep", "stats"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "COLUMNS": "80", "DLPREP_NOW": T0.isoformat(), "TZ": "UTC", "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Katas: 2 of 30 passed · 2 re-implementations · due today: 2, this week: 2" in text
    assert "Retention of katas: 50% of 2 re-implementations passed without viewing the solution" in text
    assert "Streak: 1 day in a row with the day's plan done (best 1, 1 in all)" in text
    assert "Reviews in the last 26 weeks (cards and katas): 18" in text
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    heatmap = lines[next(n for n, line in enumerate(lines) if line.startswith("Reviews in the last")) + 2 :]
    monday = heatmap[0]
    assert [line[:3] for line in heatmap[:7]] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert monday.rstrip().endswith("█")  # the busiest day: today, a Monday
    katas_row = next(line for line in lines if line.rstrip().endswith(" katas"))
    with store.connect(write=False) as conn:
        ahead = charts.forecast(conn, KEYS, T0, 4)
    assert katas_row.split()[:-1] == [str(day.katas) if day.katas else "·" for day in ahead]
    assert ahead[0].katas == 2  # softmax (Again) and dropout, both overdue


class Page(HTMLParser):
    """What a check needs of the page: elements by tag and class, their attributes, figures' text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.figures: dict[str, str] = {}
        self._figure: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "figure" in (attributes.get("class") or "").split():
            self._figure = attributes["id"]

    def handle_data(self, data):
        if self._figure and data.strip():
            self.figures.setdefault(self._figure, data.strip())

    def handle_endtag(self, tag):
        if tag == "b":
            self._figure = None

    def having(self, tag: str, css_class: str) -> list[dict]:
        return [attrs for name, attrs in self.elements if name == tag and css_class in (attrs.get("class") or "").split()]


def check_page(html: str, heat: list, ahead: list) -> None:
    page = Page(html)
    assert not [tag for tag, _ in page.elements if tag in ("script", "img", "link", "iframe", "object")]
    days = page.having("rect", "day")
    assert [(attrs["data-date"], int(attrs["data-count"])) for attrs in days] == [(d.day.isoformat(), d.total) for d in heat]
    due = page.having("g", "due")
    assert [(int(a["data-cards"]), int(a["data-katas"])) for a in due] == [(d.cards, d.katas) for d in ahead]
    assert {tag for tag, attrs in page.elements if attrs.get("id") in ("heatmap", "forecast")} == {"svg"}
    assert page.figures["katas-passed"] == "2" and page.figures["katas-again"] == "2"
    assert page.figures["katas-retention"] == "50%" and page.figures["streak"] == "1"


def write_page(run, tmp_path: Path) -> tuple[Path, list, list]:
    target = tmp_path / "progress.html"
    result = run("stats", "--html", str(target))
    assert result.exit_code == 0, result.output
    with store.connect(write=False) as conn:
        return target, charts.heatmap(conn, KEYS, T0, 4), charts.forecast(conn, KEYS, T0, 4)


def test_the_html_page_holds_the_same_figures_and_loads_nothing(history, run, tmp_path):
    target, heat, ahead = write_page(run, tmp_path)
    html = target.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html and "http" not in html.replace("http-equiv", "")
    check_page(html, heat, ahead)


@pytest.mark.skipif(BROWSER is None, reason="no headless browser (chromium) installed: `apt-get install chromium` runs this check")
def test_a_real_browser_renders_the_page(history, run, tmp_path):
    target, heat, ahead = write_page(run, tmp_path)
    profile = tempfile.mkdtemp(prefix="dlprep-browser-")
    try:
        dumped = subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--dump-dom", target.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert "<title>dlprep progress, 07 Jan 2030</title>" in dumped.stdout  # parsed and rendered by the browser
    check_page(dumped.stdout, heat, ahead)


# --- a read-only data folder -------------------------------------------------------


def as_someone_else(home: Path, *args: str) -> subprocess.CompletedProcess:
    """dlprep run by a user whom file permissions bind: this one, or `nobody` when the tests run as root."""
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot be tried")
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    env = {
        **os.environ, "DLPREP_HOME": str(home), "DLPREP_WORKSPACE": str(home.parent / "workspace"), "HOME": str(home.parent),
        "COLUMNS": "100", "DLPREP_NOW": T0.isoformat(),
    }
    return subprocess.run([*prefix, sys.executable, "-m", "dlprep", *args], capture_output=True, text=True, env=env, timeout=120)


def test_stats_and_cards_show_read_a_read_only_data_folder(history):
    folder = Path(tempfile.mkdtemp(prefix="dlprep-read-only-"))
    try:
        folder.chmod(0o755)
        home = folder / "home"
        shutil.copytree(paths.home(), home)
        for path in home.iterdir():
            path.chmod(0o444)
        home.chmod(0o555)
        before = {path.name: path.read_bytes() for path in home.iterdir()}
        for command in ([], ["stats"], ["cards", "show", DECK.cards[40].id], ["list"], ["cards", "show", DECK.cards[40].id, "--json"]):
            result = as_someone_else(home, *command)
            assert result.returncode == 0, (command, result.stderr)
        assert "Katas: 2 of 30 passed" in " ".join(as_someone_else(home, "stats").stdout.split())
        assert {path.name: path.read_bytes() for path in home.iterdir()} == before
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o777)
        shutil.rmtree(folder)


def test_a_page_that_cannot_be_written_is_said_first_and_nothing_else(run, tmp_path):
    result = run("stats", "--html", str(tmp_path / "missing" / "stats.html"))
    assert result.exit_code == 1 and result.stdout == ""
    assert "there is no folder" in " ".join(result.stderr.split())
