"""Single key presses in a terminal, no Enter needed: what the quiz and watch mode read."""

from __future__ import annotations

import os
import select
import sys

from dlprep.cli.app import is_interactive


def available() -> bool:
    """Whether keys can be read one by one: stdin is a terminal, and not a Windows console (no termios)."""
    return is_interactive() and sys.platform != "win32"


class Keys:
    """Keys pressed in the terminal, without echo.

    The terminal stays in cbreak mode while this is open, so keys typed ahead are neither echoed
    nor lost; cbreak rather than raw keeps Ctrl-C a KeyboardInterrupt.
    """

    def __enter__(self) -> Keys:
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

    def read(self, timeout: float | None = None) -> str | None:
        """The next key, waiting at most `timeout` seconds (None: until one comes); None when none came.
        A terminal that went away reads as q."""
        while not self._pending:
            ready, _, _ = select.select([self._fd], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self._fd, 64).decode(errors="replace")
            if not chunk:
                return "q"
            # Arrow and function keys send escape sequences: their letters ("\x1b[A") are no commands.
            if not chunk.startswith("\x1b"):
                self._pending = chunk
            elif timeout is not None:
                return None
        key, self._pending = self._pending[0], self._pending[1:]
        return key
