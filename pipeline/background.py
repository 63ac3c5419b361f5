"""One job run in another process while this one goes on: on two cores the letters are drafted beside the
exports instead of after them. A job that cannot start or dies is run here instead; nothing is lost."""
from __future__ import annotations

import contextlib
import io
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable


class Background:
    def __init__(self, job: Callable[..., Any], *args: Any):
        import multiprocessing

        self.job, self.args = job, args
        self.pool = None
        self.future: Future | None = None
        # fork shares what is loaded already (templates, libraries); elsewhere a fresh interpreter starts
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        try:
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self.future = self.pool.submit(job, *args)
        except (OSError, RuntimeError):  # no process to spare (limits of the machine): run it here later
            self.future = None

    def result(self) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            if self.future is not None:
                return self.future.result()
        except BrokenProcessPool:  # the helper process died (out of memory): do the job here
            pass
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
        return self.job(*self.args)


def captured(job: Callable[..., Any], *args: Any) -> tuple[Any, str, str]:
    """job(*args) with what it prints kept, so the parent prints it in its own order."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        value = job(*args)
    return value, out.getvalue(), err.getvalue()
