"""Reading files outside the event loop: a small process pool (pebble) with a time limit per file.

A file that parses slowly (a "text bomb" PDF), a huge image or a stuck Tesseract costs one worker
process, which is killed at the limit; the bot's event loop only awaits a future. Worker processes
are started from a fork server (not forked from the bot, whose threads and sockets they must not
share), run at low CPU priority with single-threaded Tesseract, and get an address-space limit, so
neither a burst of scans nor a decompression bomb can take the CPU or the memory from the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessPool
from pebble.common import ProcessExpired

from documents.errors import Unreadable

log = logging.getLogger("noticebot.documents")

WORKERS = 2
TIME_LIMIT = 45.0  # seconds per file: a 10-page scan at 300 dpi takes ~20 s on one core
MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space per worker (Tesseract included)
NICENESS = 15  # workers run at low priority: a busy OCR never delays a reply
_MAX_TASKS = 100  # workers are replaced now and then, so nothing leaks forever

_pool: ProcessPool | None = None
_pool_lock = threading.Lock()


def _worker_start() -> None:
    """Each worker: bounded memory, the lowest CPU priority (the bot's event loop always wins the CPU
    over OCR), and one thread per Tesseract run (its default is one per core, which starves the bot)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    # where this is not permitted, the pixel and page limits still apply
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _get_pool() -> ProcessPool:
    global _pool
    with _pool_lock:  # two first files at once start one pool
        if _pool is None or not _pool.active:
            context = multiprocessing.get_context("forkserver")
            # "__main__" first: the server imports the main module once, not every worker
            context.set_forkserver_preload(["__main__", "documents.pdf", "documents.images"])
            _pool = ProcessPool(max_workers=WORKERS, max_tasks=_MAX_TASKS, initializer=_worker_start,
                                context=context)
            # pebble launches its workers at the first task: do it here (a thread at start-up), not
            # when a person's file arrives on the event loop (launching them blocks for most of a second)
            _pool.schedule(_ready).result(timeout=120)
        return _pool


def _ready() -> bool:
    return True


async def start() -> ProcessPool:
    """Start the workers off the event loop (starting the fork server takes most of a second)."""
    return await asyncio.to_thread(_get_pool)


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.stop()
        _pool.join()
        _pool = None


async def run(function: Callable[[bytes], str], data: bytes, time_limit: float | None = None) -> str:
    """``function(data)`` in a worker process; Unreadable on any failure (the log gets the kind only)."""
    pool = _pool if _pool is not None and _pool.active else await start()
    future = pool.schedule(function, args=(data,), timeout=time_limit or TIME_LIMIT)
    try:
        return await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        future.cancel()
        raise
    except Unreadable:
        raise
    except FutureTimeout:
        raise Unreadable("timeout") from None
    except (ProcessExpired, MemoryError):  # the worker died (memory limit) or was killed
        raise Unreadable("too_big") from None
    except Exception as exc:  # a parser bug on a hostile file: answer kindly, log the kind only
        log.warning("file reader failed", extra={"error": type(exc).__name__})
        raise Unreadable("damaged") from None
