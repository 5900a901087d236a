"""A progress bar on stderr for generations long enough to wonder about."""

import sys
import time
from typing import TextIO

BAR_WIDTH = 30


class ProgressBar:
    """Draws itself only after `delay` seconds, and only on a terminal."""

    def __init__(self, enabled: bool = True, stream: TextIO | None = None, delay: float = 1.0):
        stream = stream or sys.stderr
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.started = time.monotonic()
        self.delay = delay
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done:,}/{total:,} attempts")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
