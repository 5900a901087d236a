"""Compute and format a large sheet's rows in two processes: this one and a forked helper.

Computing the reference run and turning its floats into text take most of the time of
writing a large sheet; deflating the text takes most of the rest. The helper computes every
attempt, once (each depends on the one before), chunk by chunk. It hands a chunk's values over
for this process to format whenever this process has caught up — taken every chunk sent and
formatted every chunk handed to it, so it has time to spare — and formats the chunk itself
when this process is behind. The work so balances itself whatever the sheet: the share of
computing, formatting and deflating differs from one shape or optimizer to another. The
chunks come back in order.

The helper can start before this process is ready for its rows: a thread takes its chunks as
they come, up to `AHEAD` of them, so that it gets a head start while this process lays out
and saves the rest of the workbook. Memory stays bounded whatever the size: a chunk is about
as large for every shape.
Where processes cannot be forked (Windows), or the sheet is small, this process computes and
formats every chunk itself.
"""

import contextlib
import multiprocessing
import pickle
import queue
import signal
import threading
from collections.abc import Iterator

from sheetgen.writing.rows import SheetRows

PIPE_BYTES = 1 << 20
"""Linux lets any process make a pipe this large (/proc/sys/fs/pipe-max-size)."""
AHEAD = 8
"""Chunks that may wait for this process, about 5 MB (see `rows.CELLS_PER_CHUNK`): a head
start for the helper while this process saves the rest, bounded for memory (more measured
no faster: this process's own work is then the longer)."""
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
    """The sheet's row chunks in order. Entering starts the helper and the thread that takes
    its chunks: enter it before this process starts any other thread, as forking wants."""
    if rows.chunk_count() < SMALLEST_SHARED or \
            "fork" not in multiprocessing.get_all_start_methods():
        yield rows.chunks()
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    formatted_here = context.Value("q", 0, lock=False)
    taken = context.Value("q", 0, lock=False)
    helper = context.Process(target=_compute_rows,
                             args=(rows, receiving, sending, formatted_here, taken),
                             daemon=True, name="sheetgen-rows")
    helper.start()
    sending.close()
    waiting: queue.Queue[bytes | EOFError] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    messages = rows.chunk_count() + (rows.watcher is not None)
    reader = threading.Thread(target=_read_ahead, args=(receiving, waiting, messages, stop),
                              name="sheetgen-rows-reader", daemon=True)
    reader.start()
    try:
        yield _interleaved(rows, waiting, helper, formatted_here, taken)
    finally:
        stop.set()   # the reader ends at its next message, or once the helper's pipe closes
        if helper.is_alive():
            helper.terminate()
        helper.join()
        reader.join()
        receiving.close()


def _read_ahead(receiving, waiting: queue.Queue, messages: int, stop: threading.Event) -> None:
    """Take the helper's `messages` as they come, or the end of its pipe, for `_interleaved`,
    until it has them all or is told to stop."""
    for _ in range(messages):
        try:
            message = receiving.recv_bytes()
        except EOFError as ended:   # the helper stopped before its last message
            message = ended
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                waiting.put(message, timeout=0.05)
                break
        if stop.is_set() or isinstance(message, EOFError):
            return


def _interleaved(rows: SheetRows, waiting: queue.Queue, helper, formatted_here, taken
                 ) -> Iterator[bytes]:
    for number in range(rows.chunk_count() + (rows.watcher is not None)):
        message = waiting.get()
        if isinstance(message, EOFError):
            helper.join()
            raise RowFormattingError(f"the process computing rows stopped unexpectedly "
                                     f"(exit status {helper.exitcode})")
        if message.startswith(FAILED):
            raise pickle.loads(message[len(FAILED):])
        taken.value += 1
        if number == rows.chunk_count():
            # The helper's watcher saw every row; this process's saw none, and takes its notes.
            vars(rows.watcher).update(vars(pickle.loads(message)))
        elif message.startswith(VALUES):
            chunk = rows.format_chunk(number, pickle.loads(message))
            formatted_here.value += 1
            yield chunk
        else:
            yield message


def _widen(connection) -> None:
    """Let the pipe hold a whole chunk, so that the thread taking it reads it at once even
    while this process is busy, and the helper goes on working."""
    with contextlib.suppress(ImportError, AttributeError, OSError):   # Linux only, capped
        import fcntl
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _compute_rows(rows: SheetRows, receiving, sending, formatted_here, taken) -> None:
    # Its copy of the reading end closed, a send fails if the parent is gone, rather than wait.
    receiving.close()
    # The parent handles Ctrl-C and ends this process; a second traceback would only confuse.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        handed = 0
        for number, chunk in enumerate(rows.computed()):
            # This process has caught up: taken every chunk sent, formatted every one handed.
            if taken.value == number and formatted_here.value == handed:
                sending.send_bytes(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
                handed += 1
            else:
                sending.send_bytes(rows.format_chunk(number, chunk))
        if rows.watcher is not None:
            sending.send_bytes(pickle.dumps(rows.watcher, pickle.HIGHEST_PROTOCOL))
    except Exception as error:   # such as the run overflowing: this process says so
        sending.send_bytes(FAILED + pickle.dumps(error))
    sending.close()
