"""Format a large sheet's rows in two processes: this one and a forked helper.

Turning floats into text takes most of the time of writing a large sheet, and it is the same
work for every chunk of rows. The helper process computes the reference run again (each
attempt depends on the one before) and formats two chunks of every three; this process, which
also deflates everything, formats the third and puts the chunks back in order. A pipe holds
about a chunk in flight, so memory stays bounded whatever the size. Where processes cannot be
forked (Windows), or the sheet is small, this process formats every chunk itself.
"""

import contextlib
import multiprocessing
import pickle
import signal
from collections.abc import Iterator

from sheetgen.writing.rows import SheetRows

PIPE_BYTES = 1 << 20
"""Linux lets any process make a pipe this large (/proc/sys/fs/pipe-max-size)."""
SMALLEST_SHARED = 20
"""Chunks below which a second process costs more than it saves."""


FAILED = b"\0"
"""Begins the helper's message in place of a chunk (which begins with <row) when it fails:
the exception follows, pickled, and this process raises it."""


class RowFormattingError(Exception):
    """The helper process stopped before it had formatted its rows."""


@contextlib.contextmanager
def formatted_chunks(rows: SheetRows) -> Iterator[Iterator[bytes]]:
    """The sheet's row chunks in order. The helper starts on entry: fork before any thread."""
    if rows.chunk_count() < SMALLEST_SHARED or \
            "fork" not in multiprocessing.get_all_start_methods():
        yield rows.chunks()
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    helper = context.Process(target=_format_helper_chunks, args=(rows, sending), daemon=True,
                             name="sheetgen-rows")
    helper.start()
    sending.close()
    try:
        yield _interleaved(rows, receiving, helper)
    finally:
        if helper.is_alive():
            helper.terminate()
        helper.join()
        receiving.close()


def _interleaved(rows: SheetRows, receiving, helper) -> Iterator[bytes]:
    own = rows.chunks(_ours)
    for number in range(rows.chunk_count()):
        if _ours(number):
            yield next(own)
            continue
        try:
            chunk = receiving.recv_bytes()
        except EOFError:
            helper.join()
            raise RowFormattingError(f"the process formatting rows stopped unexpectedly "
                                     f"(exit status {helper.exitcode})") from None
        if chunk.startswith(FAILED):
            raise pickle.loads(chunk[len(FAILED):])
        yield chunk


def _ours(number: int) -> bool:
    return number % 3 == 0


def _widen(connection) -> None:
    """Let the pipe hold a whole chunk, so the helper can hand one over and go on working."""
    with contextlib.suppress(ImportError, AttributeError, OSError):   # Linux only, capped
        import fcntl
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _format_helper_chunks(rows: SheetRows, sending) -> None:
    # The parent handles Ctrl-C and ends this process; a second traceback would only confuse.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        for chunk in rows.chunks(lambda number: not _ours(number)):
            sending.send_bytes(chunk)
    except Exception as error:   # such as the run overflowing: this process says so
        sending.send_bytes(FAILED + pickle.dumps(error))
    sending.close()
