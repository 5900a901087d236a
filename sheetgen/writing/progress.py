"""What a long generation shows on stderr while it runs: a bar redrawn in place on a terminal,
and a plain line now and then where stderr is a file or a pipe (a log, CI), which a bar's
carriage returns would garble."""

import sys
import time
from collections.abc import Callable
from typing import TextIO

from sheetgen.writing.size import Estimate

BAR_WIDTH = 30
PLAIN_INTERVAL = 10.0
"""Seconds at least between two plain lines."""


class ProgressBar:
    """On a terminal, a bar drawn once `delay` seconds have passed; elsewhere, a line such as
    `written 12,000 of 100,000 attempts (12%)` at most every `interval` seconds, the first
    after one. Nothing at all where not `enabled` (-q). `clock` gives the time in seconds."""

    def __init__(self, enabled: bool = True, stream: TextIO | None = None, delay: float = 1.0,
                 interval: float | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.terminal = self.stream.isatty()
        self.clock = clock
        self.started = self.last_line = clock()
        self.delay = delay
        self.interval = PLAIN_INTERVAL if interval is None else interval
        self.drawn = False

    def expect(self, estimate: Estimate) -> None:
        """Say first what a long write will be (see `Estimate.announcement`)."""
        line = estimate.announcement()
        if self.enabled and line is not None:
            self._write(f"{line}\n")

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if self.terminal and now - self.started >= self.delay:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self._write(f"\r[{bar}] {done:,}/{total:,} attempts")
            self.drawn = True
        elif not self.terminal and now - self.last_line >= self.interval:
            self._write(f"written {done:,} of {total:,} attempts ({100 * done // total}%)\n")
            self.last_line = now

    def close(self) -> None:
        if self.drawn:
            self._write("\n")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
