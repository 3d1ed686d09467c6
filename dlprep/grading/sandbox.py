"""A friendly first word for honest mistakes, with an audit hook (PEP 578): never the guarantee.

Installed after dlprep's own imports and before the submission is imported, it turns reading or
importing the references, touching the learner's progress or starting processes into a clear
PermissionError. Code in the same process can switch an audit hook off, so what actually stops
these is the operating system (`isolation`), and every comparison happens in the grader.
"""

from __future__ import annotations

import os
import sys

_PROCESS_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
    "os.fork", "os.forkpty", "os.kill", "os.killpg", "pty.spawn",
})
_PATH_EVENTS = frozenset({
    "open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.rmdir",
    "os.chmod", "os.truncate", "os.link", "os.symlink", "shutil.rmtree", "os.utime",
})


def protect(hidden_dirs: list[str], hidden_modules: list[str]) -> None:
    roots = tuple(os.path.realpath(d) for d in hidden_dirs)
    prefixes = tuple(m + "." for m in hidden_modules)
    modules = frozenset(hidden_modules)
    # One lookup per event: the hook runs for every audited call (sys._getframe among them), so
    # everything it does not care about must cost no more than that.
    events = {**dict.fromkeys(_PATH_EVENTS, "path"), **dict.fromkeys(_PROCESS_EVENTS, "process"), "import": "import"}

    def hidden(path) -> bool:
        if isinstance(path, int):
            return False
        try:
            real = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        return any(real == root or real.startswith(root + os.sep) for root in roots)

    def hook(event: str, args: tuple) -> None:
        kind = events.get(event)
        if kind is None:
            return
        if kind == "path":
            if args and (hidden(args[0]) or (event in {"os.rename", "os.link", "os.symlink"} and hidden(args[1]))):
                raise PermissionError(f"dlprep: the grader keeps this path out of reach: {args[0]}")
        elif kind == "import":
            name = args[0]
            if name in modules or name.startswith(prefixes):
                raise PermissionError(f"dlprep: the reference implementations cannot be imported: {name}")
        else:
            raise PermissionError(f"dlprep: submissions may not start or signal processes ({event})")

    sys.addaudithook(hook)
