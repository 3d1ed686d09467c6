"""Landlock: the learner's process may read what Python, NumPy and torch need, and write only its folder.

Landlock (Linux 5.13+) is an allow-list enforced by the kernel on every path lookup, so no path
trick gets around it: not `dir_fd`, not a symlink, not a rename between a check and an open,
not `sqlite3.connect` or ctypes. The references and the progress database are simply not in the
list, even where they sit inside a tree that is (a wheel puts the references inside
site-packages): such a tree is granted piece by piece around them. From ABI 4 no TCP connection
can be made, and from ABI 6 no signal can reach a process outside the sandbox, the grader's
included. Called through the three system calls with ctypes: there is no maintained binding, and
the interface is small and stable.
"""

from __future__ import annotations

import ctypes
import functools
import os
import platform

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
"""landlock_create_ruleset, landlock_add_rule, landlock_restrict_self (the generic table)."""

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR, MAKE_REG, MAKE_SOCK = 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8, 1 << 9
MAKE_FIFO, MAKE_BLOCK, MAKE_SYM, REFER, TRUNCATE, IOCTL_DEV = 1 << 10, 1 << 11, 1 << 12, 1 << 13, 1 << 14, 1 << 15
_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_TCP = 0b11  # bind and connect, from ABI 4
_SCOPES = 0b11  # abstract unix sockets and signals outside the sandbox, from ABI 6
_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


@functools.cache
def abi() -> int:
    """The kernel's Landlock ABI version; 0 where there is none (or it is disabled)."""
    numbers = _SYSCALLS.get(platform.machine())
    if numbers is None:
        return 0
    version = _libc.syscall(numbers[0], None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def _check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"landlock {what}: {os.strerror(errno)}")
    return result


def restrict(*, readable: list[str], writable: list[str], devices: list[str], hidden: list[str]) -> int:
    """Allow reading `readable` (minus `hidden`), reading and writing `writable` and the device
    files `devices`, nothing else; for this process and everything it starts. Returns the ABI used."""
    version = abi()
    if version == 0:
        raise OSError("Landlock is not available on this kernel")
    create, add, restrict_self = _SYSCALLS[platform.machine()]
    fs = _FS_BY_ABI[max(v for v in _FS_BY_ABI if v <= version)]
    attr = _RulesetAttr(fs, _NET_TCP if version >= 4 else 0, _SCOPES if version >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if version >= 6 else 16 if version >= 4 else 8
    ruleset = _check(_libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)), "create_ruleset")
    try:
        read = (READ_FILE | READ_DIR | EXECUTE) & fs
        for path, access in (*_around(readable, hidden, read), *((p, fs) for p in writable),
                             *((p, (READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV) & fs) for p in devices)):
            _allow(add, ruleset, path, access)
        _check(_libc.syscall(restrict_self, ctypes.c_int(ruleset), ctypes.c_uint32(0)), "restrict_self")
    finally:
        os.close(ruleset)
    return version


def _allow(add: int, ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path this machine does not have
    try:
        if not os.path.isdir(path):
            access &= _FILE_RIGHTS  # directory rights on a file are an error
        rule = _PathBeneathAttr(access, fd)
        _check(_libc.syscall(add, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0)), f"add_rule {path}")
    finally:
        os.close(fd)


def _around(roots: list[str], hidden: list[str], access: int) -> list[tuple[str, int]]:
    """Rules granting `access` beneath each root except beneath the hidden paths.

    A Landlock rule covers a whole tree, so a root holding a hidden path is granted by its
    entries instead, recursing towards the hidden path; the directories on the way may still be
    listed (their names are no secret), their hidden entry not read."""
    hidden = [os.path.realpath(h) for h in hidden]
    rules: list[tuple[str, int]] = []

    def grant(path: str) -> None:
        real = os.path.realpath(path)
        if any(real == h or real.startswith(h + os.sep) for h in hidden):
            return
        if not any(h.startswith(real + os.sep) for h in hidden):
            rules.append((path, access))
            return
        rules.append((path, access & READ_DIR))
        try:
            entries = os.listdir(path)
        except OSError:
            return
        for entry in entries:
            grant(os.path.join(path, entry))

    for root in dict.fromkeys(roots):
        grant(root)
    return rules
