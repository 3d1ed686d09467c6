"""The learner host: imports Python's, NumPy's and torch's modules once, then forks a fresh learner
process for every submission it is asked to run. It never runs learner code itself.

Started by `runner.Host` with one end of a socket pair. Each request carries a configuration and
three descriptors (cases in, results out, printed output out); the host forks, and the child shuts
itself in (`isolation.apply`) before it imports the submission: a fresh module, fresh state, the
same layers and protocol as any grade. The host answers with the child's pid, and its exit status
once it is reaped; it kills a child when asked. No state of one submission can reach the next:
each runs in a copy of the host, which learner code never touched.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys

from dlprep.grading.isolation import limits

MAX_REQUEST = 1 << 20


def serve(sock: socket.socket) -> None:
    children: set[int] = set()
    try:
        while True:
            ready, _, _ = select.select([sock], [], [], 0.02)
            if ready:
                try:
                    data, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 3)
                except OSError:
                    return
                if not data:
                    return  # the grader has gone
                request = json.loads(data)
                if request["type"] == "run":
                    pid = os.fork()
                    if pid == 0:
                        sock.close()
                        _learner(request["config"], fds)
                    for fd in fds:
                        os.close(fd)
                    children.add(pid)
                    _reply(sock, {"type": "started", "pid": pid})
                elif request["type"] == "kill" and request["pid"] in children:
                    _kill(request["pid"])
            for pid in list(children):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    children.discard(pid)
                    _kill(pid)  # anything it left behind in its process group goes with it
                    _reply(sock, {"type": "exited", "pid": pid, "status": status})
    finally:
        for pid in children:
            _kill(pid)


def _reply(sock: socket.socket, message: dict) -> None:
    try:
        sock.send(json.dumps(message).encode())
    except OSError:
        pass  # the grader has gone; the loop ends at the next read


def _kill(pid: int) -> None:
    """The child and whatever it started in its process group."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _learner(config: dict, fds: list[int]) -> None:
    """The forked child: only its own descriptors, then the submission. Never returns."""
    case_fd, result_fd, output_fd = fds
    try:
        os.setpgid(0, 0)  # a group of its own: the host can end it and anything it starts together
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        keep = {0, 1, 2, case_fd, result_fd}
        for fd in map(int, os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else ():
            if fd not in keep:
                try:
                    os.close(fd)
                except OSError:
                    pass
        from dlprep.grading import child

        child.run({**config, "case_fd": case_fd, "result_fd": result_fd})
    finally:
        sys.stdout.flush()
        os._exit(0)


def main() -> None:
    control, preload, grader = int(sys.argv[1]), sys.argv[2], os.getppid()
    limits.not_dumpable()
    limits.die_with_parent(grader)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    sock = socket.socket(fileno=control)
    import numpy  # noqa: F401 - imported once here, inherited by every child

    if preload == "torch":
        import torch

        # A correct float32 submission must not fail because matmuls ran in TF32.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        # Cases are tiny: threads only add contention, badly so on a busy machine.
        torch.set_num_threads(1)
        import torch.fx.experimental.symbolic_shapes  # noqa: F401 - what torch.autograd.backward imports on first use
        import torch.nn.functional  # noqa: F401

        import dlprep.grading.monitor  # noqa: F401
    import dlprep.grading.child  # noqa: F401
    from dlprep.grading import isolation

    isolation.learn_the_machine()
    serve(sock)
    os._exit(0)


if __name__ == "__main__":
    main()
