"""Worker processes that cannot stop or hang a batch.

`multiprocessing.Pool` waits forever for a task whose worker was killed (by the OOM killer, or
SIGKILL), and it cannot bound one task's time. This pool supervises each worker itself:

- every worker runs under an address-space limit (`RLIMIT_AS`: the memory limit beyond what the
  worker holds when it starts, since a worker forked from a large process inherits that
  process's mappings), so a file that expands in memory raises MemoryError in its worker (and becomes that file's error) instead of taking the
  machine;
- each task has a time limit: an alarm in the worker ends it softly (Python code is interrupted
  and the task's own error line is written); if the worker does not answer within a grace
  period after that (stuck inside a C library) it is killed;
- a worker that dies or is killed mid-task is replaced, and its task gets an error line;
- results come back in task order (a bounded window of tasks is in flight), so results.jsonl
  keeps the folder's order.

`run_bounded(fn, task, on_failure, time_limit, memory_limit)` is the light form for one task
(`extractor parse FILE`): the same limits on the calling process itself, no worker to start.

Public API: `SupervisedPool(fn, on_failure, workers, time_limit, memory_limit).map(tasks)`, `run_bounded`.
"""

from __future__ import annotations

import os
import resource
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # multiprocessing is imported when a pool starts: one file needs none
    from multiprocessing.connection import Connection

__all__ = ["SupervisedPool", "TaskTimeout", "run_bounded"]

T = TypeVar("T")
R = TypeVar("R")

GRACE_SECONDS = 5.0  # after the soft limit, before the worker is killed
WINDOW_PER_WORKER = 8  # tasks in flight or waiting to be written, per worker


class TaskTimeout(BaseException):
    """Raised in a worker by its alarm. A BaseException, so that the `except Exception` that
    turns a bug into an error line does not swallow it."""


def _alarm(_signum, _frame) -> None:
    raise TaskTimeout


def _address_space() -> int:
    """This process's address space now, in bytes (Linux; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(memory_limit: int | None) -> int:
    """Set this process's address-space limit to `memory_limit` beyond what it holds now (what a
    library caller's process, or a worker forked from it, already holds is not the task's); the
    soft limit it had, to restore."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if memory_limit:
        limit = memory_limit + _address_space()
        limit = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return soft


def _over_time(time_limit: float) -> str:
    return f"took longer than {time_limit:g} s: stopped"


def _over_memory(memory_limit: int | None) -> str:
    return f"needed more than the worker's {(memory_limit or 0) >> 20} MB of memory"


def run_bounded(fn: Callable[[T], R], task: T, on_failure: Callable[[T, str], R], time_limit: float,
                memory_limit: int | None) -> R:
    """fn(task) in this process under the pool's limits (address space, an alarm), lifted after:
    for one task, where a worker would cost more than the task. A library stuck in C past the
    alarm is not interrupted, as it would be killed in a pool: the one task is all there is."""
    soft = _limit_memory(memory_limit)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        return fn(task)
    except TaskTimeout:
        return on_failure(task, _over_time(time_limit))
    except MemoryError:
        return on_failure(task, _over_memory(memory_limit))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (soft, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _serve(conn: Connection, fn: Callable, on_failure: Callable, time_limit: float, memory_limit: int | None) -> None:
    """A worker's loop: receive (index, task), send (index, result), until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _limit_memory(memory_limit)
    signal.signal(signal.SIGALRM, _alarm)
    parent = os.getppid()
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return  # the run was killed: a worker must not outlive it
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, task = message
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            result = fn(task)
        except TaskTimeout:
            result = on_failure(task, _over_time(time_limit))
        except MemoryError:
            result = on_failure(task, _over_memory(memory_limit))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            conn.send((index, result))
        except (OSError, ValueError):
            return


def _serve_closing(theirs: list[Connection], conn: Connection, *args) -> None:
    for other in theirs:
        other.close()
    _serve(conn, *args)


class _Worker:
    """A worker process, its pipe, its task and when it started it. A slotted class, not a
    dataclass: the class costs 0.5 ms of every command's start-up as one."""

    __slots__ = ("process", "conn", "task", "started")

    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.task: tuple[int, Any] | None = None
        self.started = 0.0


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = {int(signal.SIGKILL): " (the system's out-of-memory killer, or a kill)",
                int(signal.SIGABRT): " (a library stopped it: out of memory?)",
                int(signal.SIGSEGV): " (a library crashed on this file)"}.get(-code, "")
        return f"its worker process was killed by {name}{hint}"
    return f"its worker process exited with code {code}"


class SupervisedPool(Generic[T, R]):
    def __init__(self, fn: Callable[[T], R], on_failure: Callable[[T, str], R], workers: int,
                 time_limit: float, memory_limit: int | None):
        self.fn, self.on_failure = fn, on_failure
        self.size = max(1, workers)
        self.time_limit, self.memory_limit = time_limit, memory_limit
        self.workers: list[_Worker] = []
        self.replaced = 0  # workers that died or were killed

    def _start(self) -> _Worker:
        from extractor.forking import worker_context

        # fork, unless other threads run here now (a service; a run's LLM threads when a worker is replaced)
        ctx = worker_context((self.fn.__module__,))
        parent, child = ctx.Pipe()
        # a forked worker inherits the parent's ends of every pipe: it closes them, so that each
        # worker sees its pipe end when the run ends (a worker started fresh inherits none)
        forked = ctx.get_start_method() == "fork"
        theirs = [w.conn for w in self.workers] + [parent] if forked else []
        process = ctx.Process(target=_serve_closing, daemon=True,
                              args=(theirs, child, self.fn, self.on_failure, self.time_limit, self.memory_limit))
        process.start()
        child.close()
        return _Worker(process, parent)

    def _retire(self, worker: _Worker, kill: bool) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        self.workers.remove(worker)

    def map(self, tasks: Iterable[T]) -> Iterator[R]:
        """Each task's result, in task order; a task whose worker died or hung gets on_failure's."""
        from multiprocessing.connection import wait

        source = iter(enumerate(tasks))
        done: dict[int, R] = {}
        next_out = next_in = 0
        exhausted = False
        window = self.size * WINDOW_PER_WORKER
        self.workers = [self._start() for _ in range(self.size)]
        try:
            while True:
                for w in self.workers:
                    if w.task is None and not exhausted and next_in - next_out < window:
                        item = next(source, None)
                        if item is None:
                            exhausted = True
                            break
                        w.task, w.started = item, time.monotonic()
                        next_in += 1
                        try:
                            w.conn.send(item)
                        except OSError:
                            pass  # the worker is gone: its sentinel says so below
                busy = [w for w in self.workers if w.task is not None]
                if not busy:
                    if exhausted:
                        break
                    continue
                deadline = min(w.started for w in busy) + self.time_limit + GRACE_SECONDS
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                             timeout=max(0.0, deadline - time.monotonic()))
                for w in busy:
                    if w.conn in ready or w.process.sentinel in ready:
                        self._collect(w, done)
                now = time.monotonic()
                for w, (index, task) in [(w, w.task) for w in self.workers if w.task is not None]:
                    if now - w.started > self.time_limit + GRACE_SECONDS:
                        done[index] = self.on_failure(task, f"took longer than {self.time_limit:g} s: its worker "
                                                            "did not answer and was stopped")
                        self._replace(w)
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
        finally:
            for w in list(self.workers):
                try:
                    w.conn.send(None)
                except (OSError, ValueError):
                    pass
                self._retire(w, kill=w.task is not None)

    def _collect(self, w: _Worker, done: dict[int, R]) -> None:
        try:
            if w.conn.poll():
                index, result = w.conn.recv()
                done[index] = result
                w.task = None
                return
        except (EOFError, OSError):
            pass
        if w.process.is_alive():
            return  # woken by nothing it sent: keep waiting
        w.process.join(timeout=1)
        index, task = w.task  # type: ignore[misc]  # a worker is waited on only while it holds a task
        done[index] = self.on_failure(task, _exit_reason(w.process.exitcode))
        self._replace(w)

    def _replace(self, w: _Worker) -> None:
        self._retire(w, kill=True)
        self.replaced += 1
        self.workers.append(self._start())
