"""`dlprep stats --html FILE`: the same figures as the terminal, as one self-contained page.

Plain HTML with inline SVG and CSS: no script, no font, no image to fetch (its Content-Security-
Policy forbids every load), so it opens the same offline, from a mail, or years later.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from dlprep.cards.stats import Stats
from dlprep.charts import Day, level
from dlprep.katas.stats import KataStats
from dlprep.plan import Streak

CELL = 13  # heatmap cell, with its gap
LEVEL_COLOURS = ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39")
CARD_COLOUR, KATA_COLOUR = "#3b82f6", "#c026d3"
BAR_WIDTH, BAR_GAP, BAR_HEIGHT = 16, 4, 120

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 52em; padding: 0 1em; color: #1f2328; }
h1 { font-size: 1.5em; margin-bottom: 0; } h2 { font-size: 1.15em; margin-top: 2em; }
.figures { display: flex; flex-wrap: wrap; gap: 1em; }
.figure { border: 1px solid #d0d7de; border-radius: 6px; padding: .5em 1em; min-width: 9em; }
.figure b { display: block; font-size: 1.6em; }
table { border-collapse: collapse; } td, th { padding: .2em .8em; text-align: right; } td:first-child, th:first-child { text-align: left; }
svg text { font: 10px system-ui, sans-serif; fill: #57606a; }
.muted { color: #57606a; }
"""


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _figure(label: str, value: object, name: str) -> str:
    return f'<div class="figure" id="{name}"><b>{escape(str(value))}</b>{escape(label)}</div>'


def heatmap_svg(days: list[Day]) -> str:
    most = max((day.total for day in days), default=0) or 1
    weeks = (len(days) + 6) // 7
    left, top = 30, 16
    parts = [f'<svg id="heatmap" role="img" aria-label="Reviews per day" width="{left + weeks * CELL}" height="{top + 7 * CELL}">']
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(f'<text x="0" y="{top + row * CELL + 10}">{name}</text>')
    previous = None
    for number, day in enumerate(days):
        column, row = divmod(number, 7)
        if row == 0 and day.day.strftime("%b") != previous:
            previous = day.day.strftime("%b")
            parts.append(f'<text x="{left + column * CELL}" y="10">{previous}</text>')
        shade = level(day.total, most)
        parts.append(
            f'<rect class="day level-{shade}" data-date="{day.day.isoformat()}" data-count="{day.total}" '
            f'x="{left + column * CELL}" y="{top + row * CELL}" width="{CELL - 2}" height="{CELL - 2}" rx="2" '
            f'fill="{LEVEL_COLOURS[shade]}"><title>{day.day:%a %d %b %Y}: {day.cards} card reviews, '
            f'{day.katas} katas</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)


def forecast_svg(days: list[Day]) -> str:
    most = max((day.total for day in days), default=0) or 1
    left, bottom = 30, 18
    width = left + len(days) * (BAR_WIDTH + BAR_GAP)
    parts = [f'<svg id="forecast" role="img" aria-label="Due in the next days" width="{width}" height="{BAR_HEIGHT + bottom + 4}">']
    parts.append(f'<text x="0" y="10">{most}</text><text x="0" y="{BAR_HEIGHT}">0</text>')
    for number, day in enumerate(days):
        x = left + number * (BAR_WIDTH + BAR_GAP)
        cards_h, katas_h = (round(BAR_HEIGHT * value / most) for value in (day.cards, day.katas))
        parts.append(
            f'<g class="due" data-date="{day.day.isoformat()}" data-cards="{day.cards}" data-katas="{day.katas}">'
            f'<title>{day.day:%a %d %b}: {day.cards} cards, {day.katas} katas due</title>'
            f'<rect class="cards" x="{x}" y="{BAR_HEIGHT - cards_h}" width="{BAR_WIDTH}" height="{cards_h}" fill="{CARD_COLOUR}"/>'
            f'<rect class="katas" x="{x}" y="{BAR_HEIGHT - cards_h - katas_h}" width="{BAR_WIDTH}" height="{katas_h}" fill="{KATA_COLOUR}"/>'
            "</g>"
        )
        if number % 7 == 0:
            parts.append(f'<text x="{x}" y="{BAR_HEIGHT + 14}">{"today" if number == 0 else f"+{number}d"}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(cards: Stats, katas: KataStats, streak: Streak, heat: list[Day], ahead: list[Day], now: datetime) -> str:
    mastery = "".join(
        f"<tr><td>{escape(' '.join(filter(None, (row.section, row.title))))}</td><td>{row.cards}</td><td>{row.new}</td>"
        f"<td>{row.learning}</td><td>{row.review}</td><td>{row.mastery:.0%}</td></tr>"
        for row in cards.sections
    )
    reviews = sum(day.total for day in heat)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dlprep progress, {now.astimezone():%d %b %Y}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>dlprep progress</h1>
<p class="muted">{now.astimezone():%A %d %B %Y, %H:%M}</p>
<h2>Today</h2>
<div class="figures">
{_figure("cards due today", cards.due_today, "cards-due")}
{_figure("new cards today", cards.new_today, "cards-new")}
{_figure("katas to write again", katas.due_today, "katas-due")}
{_figure("days in a row", streak.current, "streak")}
</div>
<h2>Flashcards</h2>
<div class="figures">
{_figure("due tomorrow", cards.due_tomorrow, "cards-tomorrow")}
{_figure("due in 7 days", cards.due_week, "cards-week")}
{_figure("reviews, all time", cards.reviews_ever, "cards-reviews")}
{_figure(f"retention ({cards.retention_reviews} reviews, 30 days)", _percent(cards.retention), "cards-retention")}
</div>
<h2>Katas</h2>
<div class="figures">
{_figure(f"passed of {katas.katas}", katas.passed, "katas-passed")}
{_figure("re-implementations", katas.reimplementations, "katas-again")}
{_figure("retention of katas", _percent(katas.retention), "katas-retention")}
{_figure("best streak", streak.best, "streak-best")}
</div>
<h2>Reviews in the last {len(heat) // 7 + (len(heat) % 7 > 0)} weeks: {reviews}</h2>
{heatmap_svg(heat)}
<h2>Due in the next {len(ahead)} days</h2>
{forecast_svg(ahead)}
<p class="muted"><span style="color:{CARD_COLOUR}">■</span> cards <span style="color:{KATA_COLOUR}">■</span> katas</p>
<h2>Mastery per section</h2>
<table id="mastery"><tr><th>section</th><th>cards</th><th>new</th><th>learning</th><th>review</th><th>mastery</th></tr>{mastery}</table>
</body>
</html>
"""
