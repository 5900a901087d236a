"""Format a large sheet's rows in two processes: this one and a forked helper.

Turning floats into text takes most of the time of writing a large sheet, and it is the same
work for every chunk of rows. The helper process recomputes the (cheap) reference run and
formats two chunks of every three; this process, which also deflates everything, formats the
third and puts the chunks back in order. A pipe holds about a chunk in flight, so memory
stays bounded whatever the size.
"""

import contextlib
import fcntl
import multiprocessing
import signal
from collections.abc import Iterator

from sheetgen.rows import SheetRows

PIPE_BYTES = 1 << 20
"""Linux lets any process make a pipe this large (/proc/sys/fs/pipe-max-size)."""
SMALLEST_SHARED = 20
"""Chunks below which a second process costs more than it saves."""


def chunks_in_order(rows: SheetRows) -> Iterator[bytes]:
    if rows.chunk_count() < SMALLEST_SHARED:
        yield from rows.chunks()
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    helper = context.Process(target=_format_helper_chunks, args=(rows, sending), daemon=True,
                             name="sheetgen-rows")
    helper.start()
    sending.close()
    try:
        own = rows.chunks(_ours)
        for number in range(rows.chunk_count()):
            yield next(own) if _ours(number) else receiving.recv_bytes()
        helper.join()
        if helper.exitcode != 0:
            raise RuntimeError(f"the row-formatting process failed (exit {helper.exitcode})")
    finally:
        if helper.is_alive():
            helper.terminate()
            helper.join()
        receiving.close()


def _widen(connection) -> None:
    """Let the pipe hold a whole chunk, so the helper can hand one over and go on working."""
    with contextlib.suppress(OSError, AttributeError):   # Linux only, and capped by the system
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _ours(number: int) -> bool:
    return number % 3 == 0


def _format_helper_chunks(rows: SheetRows, sending) -> None:
    # The parent handles Ctrl-C and ends this process; a second traceback would only confuse.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for chunk in rows.chunks(lambda number: not _ours(number)):
        sending.send_bytes(chunk)
    sending.close()
