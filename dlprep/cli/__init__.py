"""The `dlprep` command. Each module here parses, calls the library, renders; nothing more.

Keep imports at the top of these modules light (no numpy, no torch): `dlprep --help`,
`dlprep list` and `dlprep quiz` must start fast.
"""

from __future__ import annotations

import os
import sys

from dlprep.cli.app import app


def main() -> None:
    try:
        app()
    except SystemExit as done:
        if "torch" not in sys.modules:
            raise
        # Tearing down an interpreter that loaded torch takes about half a second; by now every
        # file and database connection is closed, so leave at once.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(done.code if isinstance(done.code, int) else (0 if done.code is None else 1))
