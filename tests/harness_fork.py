"""Start `noticebot run` processes quickly for the tests: fork them from a server that has already
imported the product.

Importing aiogram builds ~440 pydantic models (about 7 s of CPU on the 2-core CI machine), and the
end-to-end and fault tests start a bot process dozens of times: most of the suite's CPU went there.
A fork of an interpreter that did those imports once (the standard library's multiprocessing
"forkserver", with the product preloaded) is still a separate OS process that runs the same
``app.cli.main`` with its own environment, working directory, log file, signals and exit status;
it only skips the imports. Tests of the entry point itself (start-up and stop signals, the worker's
"no aiogram" check) ask for a fresh interpreter (``BotProcess(fresh=True)``), and
``NOTICEBOT_TEST_FORK=0`` turns forking off for every test.
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import os
import runpy
import signal
import sys
from pathlib import Path

ENABLED = os.environ.get("NOTICEBOT_TEST_FORK", "1") != "0"
_PRELOAD = ["tests.harness_fork", "app.cli", "app.run", "bot.dispatcher"]
_context: multiprocessing.context.ForkServerContext | None = None


def _ctx() -> multiprocessing.context.ForkServerContext:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(_PRELOAD)
    return _context


def _child(argv: list[str], env: dict[str, str], cwd: str, log_path: str) -> None:
    """In the forked process: become `python -m app <argv>` with this environment."""
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # lives as long as the process
    sys.stderr = open(2, "w", buffering=1, closefd=False)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as a new interpreter has it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for folder in filter(None, env.get("PYTHONPATH", "").split(os.pathsep)):
        hook = Path(folder) / "sitecustomize.py"
        if hook.exists():  # what a new interpreter would import at start-up (the tests' clock hook)
            runpy.run_path(str(hook))
    from app.cli import main

    sys.argv = ["noticebot", *argv]
    try:
        code = main(argv)
    finally:
        import logging

        logging.shutdown()  # the process ends with os._exit: flush what the log holds now
        sys.stdout.flush()
        sys.stderr.flush()
    sys.exit(code)


_started: list[ForkedProcess] = []


@atexit.register  # runs before multiprocessing's own exit handler, which would wait for them
def _kill_leftovers() -> None:
    for proc in _started:
        proc.kill()


class ForkedProcess:
    """The part of ``asyncio.subprocess.Process`` the tests use, for a forked bot."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, log_path: Path) -> None:
        self._proc = _ctx().Process(target=_child, args=(argv, env, str(cwd), str(log_path)), daemon=False)
        self._proc.start()
        _started.append(self)

    @property
    def pid(self) -> int:
        return int(self._proc.pid or 0)

    @property
    def returncode(self) -> int | None:
        return self._proc.exitcode  # -N when killed by signal N, as asyncio reports it

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    async def wait(self) -> int:
        if self.returncode is None:  # the forkserver writes the exit status to the sentinel
            loop = asyncio.get_running_loop()
            ended: asyncio.Future[None] = loop.create_future()

            def readable() -> None:
                if not ended.done():
                    ended.set_result(None)

            loop.add_reader(self._proc.sentinel, readable)
            try:
                await ended
            finally:
                loop.remove_reader(self._proc.sentinel)
        self._proc.join(0)
        return int(self._proc.exitcode if self._proc.exitcode is not None else 255)
