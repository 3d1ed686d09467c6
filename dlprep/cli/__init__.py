"""The `dlprep` command. Each module here parses, calls the library, renders; nothing more.

Keep imports at the top of these modules light (no numpy, no torch): `dlprep --help`,
`dlprep list` and `dlprep quiz` must start fast.
"""

from __future__ import annotations

from dlprep.cli import cards, katas
from dlprep.cli.app import app

katas.register(app)
cards.register(app)


def main() -> None:
    from dlprep.cli.app import err_console
    from dlprep.clock import ClockError
    from dlprep.store import StoreError

    try:
        app()
    except (StoreError, ClockError) as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise SystemExit(1) from None
