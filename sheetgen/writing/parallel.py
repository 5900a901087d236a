"""Compute and format a large sheet's rows in two processes: this one and a forked helper.

Computing the reference run and turning its floats into text take most of the time of
writing a large sheet; deflating the text takes most of the rest. The helper computes every
attempt, once (each depends on the one before), chunk by chunk. It hands a chunk's values over
for this process to format whenever this process has caught up — read every message and
formatted every chunk handed to it, so it has time to spare — and formats the chunk itself
when this process is behind. The work so balances itself whatever the sheet: the share of
computing, formatting and deflating differs from one shape or optimizer to another. The
chunks come back in order. A pipe holds about a chunk in flight, so memory stays bounded
whatever the size. Where processes cannot be forked (Windows), or the sheet is small, this
process computes and formats every chunk itself.
"""

import array
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
"""Begins the helper's message in place of a chunk when it fails (a chunk begins with <row or
a pickle's protocol byte): the exception follows, pickled, and this process raises it."""
VALUES = pickle.dumps([], pickle.HIGHEST_PROTOCOL)[:1]
"""How a message of values to format here begins: a pickle's protocol byte, never `<`."""


class RowFormattingError(Exception):
    """The helper process stopped before it had computed its rows."""


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
    formatted_here = context.Value("q", 0, lock=False)
    helper = context.Process(target=_compute_rows, args=(rows, sending, formatted_here),
                             daemon=True, name="sheetgen-rows")
    helper.start()
    sending.close()
    try:
        yield _interleaved(rows, receiving, helper, formatted_here)
    finally:
        if helper.is_alive():
            helper.terminate()
        helper.join()
        receiving.close()


def _interleaved(rows: SheetRows, receiving, helper, formatted_here) -> Iterator[bytes]:
    for number in range(rows.chunk_count()):
        message = _receive(receiving, helper)
        if message.startswith(VALUES):
            chunk = rows.format_chunk(number, pickle.loads(message))
            formatted_here.value += 1
            yield chunk
        else:
            yield message
    if rows.watcher is not None:
        # The helper's watcher saw every row; this process's saw none, and takes its notes.
        vars(rows.watcher).update(vars(pickle.loads(_receive(receiving, helper))))


def _receive(receiving, helper) -> bytes:
    try:
        message = receiving.recv_bytes()
    except EOFError:
        helper.join()
        raise RowFormattingError(f"the process computing rows stopped unexpectedly "
                                 f"(exit status {helper.exitcode})") from None
    if message.startswith(FAILED):
        raise pickle.loads(message[len(FAILED):])
    return message


def _hand_over(sending, number: int, handed: int, formatted_here) -> bool:
    """Whether the helper hands chunk `number`'s values to this process to format: when this
    process has formatted every chunk handed to it and read every message sent. Where the
    pipe cannot say (not Linux), every other chunk."""
    try:
        import fcntl
        import termios
        pending = array.array("i", [0])
        fcntl.ioctl(sending.fileno(), termios.FIONREAD, pending)
    except (ImportError, OSError):
        return number % 2 == 0
    return pending[0] == 0 and formatted_here.value == handed


def _widen(connection) -> None:
    """Let the pipe hold a whole chunk, so the helper can hand one over and go on working."""
    with contextlib.suppress(ImportError, AttributeError, OSError):   # Linux only, capped
        import fcntl
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _compute_rows(rows: SheetRows, sending, formatted_here) -> None:
    # The parent handles Ctrl-C and ends this process; a second traceback would only confuse.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        handed = 0
        for number, chunk in enumerate(rows.computed()):
            if _hand_over(sending, number, handed, formatted_here):
                sending.send_bytes(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
                handed += 1
            else:
                sending.send_bytes(rows.format_chunk(number, chunk))
        if rows.watcher is not None:
            sending.send_bytes(pickle.dumps(rows.watcher, pickle.HIGHEST_PROTOCOL))
    except Exception as error:   # such as the run overflowing: this process says so
        sending.send_bytes(FAILED + pickle.dumps(error))
    sending.close()
