"""The stats figures drawn in the terminal with Rich: a heatmap of reviews and a forecast of the load.

Each reads without colour too (piped, or NO_COLOR): the heatmap's levels are glyphs of growing
density, the forecast's bars are block characters. Both fit 80 columns.
"""

from __future__ import annotations

from rich.text import Text

from dlprep.charts import Day, level

LEVELS = [("·", "dim"), ("░", "green"), ("▒", "green"), ("▓", "bright_green"), ("█", "bold bright_green")]
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EIGHTHS = " ▁▂▃▄▅▆▇█"
BAR_ROWS = 6


def heatmap(days: list[Day]) -> Text:
    """Weeks as columns (Monday on top), a month's name above the week it starts in."""
    weeks = [days[start : start + 7] for start in range(0, len(days), 7)]
    busiest = max((day.total for day in days), default=0)
    most = busiest or 1
    months = [" "] * (2 * len(weeks) + 2)
    previous = None
    for column, week in enumerate(weeks):
        month = week[0].day.strftime("%b")
        if month != previous and 2 * column + 3 <= len(months):
            months[2 * column : 2 * column + 3] = month
            previous = month
    text = Text("    " + "".join(months).rstrip() + "\n", style="dim")
    for row, name in enumerate(WEEKDAYS):
        text.append(f"{name} ", style="dim")
        for week in weeks:
            if row < len(week):
                glyph, style = LEVELS[level(week[row].total, most)]
                text.append(glyph + " ", style=style)
        text.append("\n")
    text.append("    less ", style="dim")
    for glyph, style in LEVELS:
        text.append(glyph + " ", style=style)
    text.append(f"more ({busiest} on the busiest day)" if busiest else "more", style="dim")
    return text


def forecast(days: list[Day]) -> Text:
    """One bar per day (two columns wide), today first; the katas due are counted under the axis."""
    most = max((day.total for day in days), default=0)
    label = len(str(most))
    text = Text()
    for row in reversed(range(BAR_ROWS)):
        text.append(f"{most if row == BAR_ROWS - 1 else '':>{label}} │", style="dim")
        for day in days:
            filled = day.total / most * BAR_ROWS if most else 0
            eighths = round(max(0.0, min(1.0, filled - row)) * 8)
            text.append(EIGHTHS[eighths] * 2, style="cyan")
        text.append("\n")
    text.append(f"{0:>{label}} └" + "──" * len(days) + "\n", style="dim")
    text.append(" " * (label + 2))
    for day in days:
        text.append(f"{day.katas:<2}" if day.katas else "· ", style="bold magenta" if day.katas else "dim")
    text.append(" katas\n", style="dim")
    marks = " " * (label + 2)
    for number in range(0, len(days), 7):
        tick = "today" if number == 0 else f"+{number}d"
        marks = marks[: label + 2 + 2 * number].ljust(label + 2 + 2 * number) + tick
    text.append(marks, style="dim")
    return text
