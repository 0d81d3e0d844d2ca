"""Jobs in child worker processes: several at once, and a job that kills its worker ends only
itself.

:class:`Workers` keeps up to ``count`` worker processes; each runs one job at a time and sends
its result back through a pipe, and the next item goes to the first worker that is free. A
worker that ends before answering gives :class:`Died` for its item and is replaced, so every
other item is still done. This is what keeps a grading run going when a trainee's work kills
the process that started its kernel (``os.kill(os.getppid(), 9)``): that process is a worker.

Signals a work can send by group do not reach the grading process either: jupyter_client
starts every kernel in a session of its own (``start_new_session``), so killing the kernel's
own process group kills only the kernel, and each worker leads a process group of its own, so
killing the worker's group kills only that worker. Ctrl+C in the terminal therefore reaches
only the grading process; leaving :class:`Workers`, it interrupts the busy workers in turn,
so that their kernels are shut down. A worker whose grading process is gone (killed, or its
terminal closed) ends by itself.

On Linux the workers are forked from the grading process: what it imported (nbgrader takes
seconds) they have at once, and replacing a worker costs milliseconds. The grading process
must then run no other thread (a tqdm bar's monitor thread, for one): a fork copies only the
thread that forks. Elsewhere (macOS, Windows: fork is unsafe there) workers are spawned, and
each imports what its job needs once; the job must then be picklable.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

STOP = None  # the message that ends a worker's loop
ORPHAN_CHECK_SECONDS = 1.0  # how often an idle worker checks that its grading process lives
STOP_SECONDS = 10  # how long stopped workers may take to end (their kernels shut down)


@dataclass(frozen=True)
class Died:
    """The worker ended before it answered: its ``exitcode`` as multiprocessing reports it
    (−N: killed by signal N)."""

    exitcode: int | None

    def __str__(self) -> str:
        if self.exitcode is not None and self.exitcode < 0:
            return f"killed by signal {-self.exitcode} ({signal.strsignal(-self.exitcode)})"
        return f"exit code {self.exitcode}"


@dataclass(frozen=True)
class _Raised:
    """The job raised ``error``: the grading process raises it again."""

    error: Exception


def _context():
    """fork on Linux, spawn elsewhere (see the module's docstring)."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _serve(job: Callable[[Any], Any], conn, parent: int) -> None:
    """A worker: lead a process group, then answer every item received with ``job(item)``
    until STOP, or until the grading process (pid ``parent``) is gone."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    with contextlib.suppress(KeyboardInterrupt):  # stopped while on an item: _Worker.stop
        while os.getppid() == parent:
            if not conn.poll(ORPHAN_CHECK_SECONDS):
                continue
            item = conn.recv()
            if item is STOP:
                return
            try:
                conn.send(job(item))
            except Exception as e:  # noqa: BLE001 (the grading process raises it again)
                conn.send(_Raised(e))


class _Worker:
    """One worker process and this side of its pipe; ``item`` is the one in work, if any."""

    def __init__(self, job: Callable[[Any], Any]):
        context = _context()
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(job, child, os.getpid()))
        self.process.start()
        child.close()
        self.item: Hashable | None = None

    def ready(self, handles: list) -> bool:
        """True if the worker answered or ended (``handles``: what ``wait`` returned)."""
        return self.conn in handles or self.process.sentinel in handles

    def answer(self) -> Any:
        """The worker's answer to its item, or :class:`Died` if it ended without one."""
        with contextlib.suppress(EOFError, OSError):
            if self.conn.poll():
                return self.conn.recv()
        self.process.join()
        return Died(self.process.exitcode)

    def stop(self) -> None:
        """Ask the worker to end: STOP, read once it is free; if it is still on an item,
        first SIGINT, as Ctrl+C would (the job unwinds and nbclient shuts its kernel down, or
        nbgrader, which catches it, gives up on the item)."""
        with contextlib.suppress(OSError):  # it may have ended already
            if self.item is not None:
                os.kill(self.process.pid, signal.SIGINT)  # on Windows: terminated
            self.conn.send(STOP)

    def end(self, deadline: float) -> None:
        """Wait until ``deadline`` (time.monotonic) for the stopped worker to end, then kill
        it."""
        self.process.join(timeout=max(0.0, deadline - time.monotonic()))
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class Workers:
    """Up to ``count`` worker processes running ``job`` (a function of one item); a context
    manager that ends every worker it started when it is left."""

    def __init__(self, job: Callable[[Any], Any], count: int):
        self.job, self.count = job, count
        self._free: list[_Worker] = []
        self._busy: list[_Worker] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        everyone = self._free + self._busy
        for worker in everyone:
            worker.stop()
        deadline = time.monotonic() + STOP_SECONDS
        for worker in everyone:
            worker.end(deadline)
        self._free, self._busy = [], []

    def results(self, items: Iterable[Hashable], started: Callable[[list], None] | None = None
                ) -> Iterator[tuple[Hashable, Any]]:
        """(item, ``job(item)`` or :class:`Died`) for every item, in the order they finish,
        at most ``count`` at once; ``started(items in work)`` is called whenever an item
        starts. An exception the job raised is raised here."""
        todo = deque(items)
        while todo or self._busy:
            if todo and len(self._busy) < self.count:
                self._start(todo.popleft())
                if started:
                    started([w.item for w in self._busy])
                continue
            handles = wait([h for w in self._busy for h in (w.conn, w.process.sentinel)])
            for worker in [w for w in self._busy if w.ready(handles)]:
                item = worker.item
                yield item, self._finish(worker)

    def _start(self, item: Hashable) -> None:
        """Send ``item`` to a free worker (a new one if none is free)."""
        worker = self._free.pop() if self._free else _Worker(self.job)
        worker.item = item
        worker.conn.send(item)
        self._busy.append(worker)

    def _finish(self, worker: _Worker) -> Any:
        """The worker's answer; the worker goes back to the free ones, or away if it died."""
        result = worker.answer()
        self._busy.remove(worker)
        worker.item = None
        if isinstance(result, Died):
            worker.conn.close()
        else:
            self._free.append(worker)
        if isinstance(result, _Raised):
            raise result.error
        return result
