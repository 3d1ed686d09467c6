"""Resource limits and process flags: what the learner's process may use, and that it dies with us.

`PR_SET_NO_NEW_PRIVS` makes the Landlock and seccomp layers possible without privileges and keeps
any set-user-ID program from giving privileges back; `PR_SET_PDEATHSIG` ends the process when the
one that started it ends, however that one ends (even SIGKILL); the rlimits bound CPU time,
address space (not with CUDA, whose initialisation reserves far more than it uses) and file sizes.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, value: int) -> None:
    if _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl({option}): {os.strerror(errno)}")


def not_dumpable() -> None:
    """A process of the same user can then open none of this process's /proc files (mem, fd, environ)."""
    _prctl(PR_SET_DUMPABLE, 0)


def die_with_parent(parent: int) -> None:
    """SIGKILL when the parent ends; if it already has (we were reparented), end now."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def no_new_privileges() -> None:
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


def cap(*, cpu_seconds: int, memory_bytes: int | None, file_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
