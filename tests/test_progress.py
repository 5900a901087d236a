"""The progress bar, drawn on a terminal once a generation takes a while; plain lines now and
then elsewhere; and the first line of a long write."""

import io
from dataclasses import replace

from sheetgen.writing import size
from sheetgen.writing.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_on_a_terminal_after_the_delay():
    screen = Terminal()
    bar = ProgressBar(stream=screen, delay=0)
    bar(50_000, 100_001)
    bar(100_001, 100_001)
    bar.close()
    assert screen.getvalue() == (
        "\r[##############----------------] 50,000/100,001 attempts"
        "\r[##############################] 100,001/100,001 attempts\n")


def test_silent_for_short_runs():
    screen = Terminal()
    bar = ProgressBar(stream=screen, delay=60)
    bar(1_000, 1_000)
    bar.close()
    assert screen.getvalue() == ""


def test_silent_when_quiet_or_not_a_terminal_in_the_first_ten_seconds():
    for stream, enabled in ((io.StringIO(), True), (Terminal(), False)):
        bar = ProgressBar(enabled=enabled, stream=stream, delay=0)
        bar(5, 10)
        bar.close()
        assert stream.getvalue() == ""


class Clock:
    """Time that passes only when a test says so."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_plain_line_at_most_every_ten_seconds_when_not_a_terminal():
    log, clock = io.StringIO(), Clock()
    bar = ProgressBar(stream=log, clock=clock)
    for seconds, done in ((5, 5_000), (10, 12_000), (15, 18_000), (19.9, 25_000),
                          (20.5, 26_000), (40, 100_000)):
        clock.now = 100.0 + seconds
        bar(done, 100_000)
    bar.close()
    assert log.getvalue() == ("written 12,000 of 100,000 attempts (12%)\n"
                              "written 26,000 of 100,000 attempts (26%)\n"
                              "written 100,000 of 100,000 attempts (100%)\n")


def test_the_estimate_of_a_long_write_comes_first_unless_quiet():
    long = size.Estimate(10_000, 5_323, 0, 16.5, 0, 400_000)
    short = replace(long, attempts=100)
    for stream in (io.StringIO(), Terminal()):
        ProgressBar(stream=stream).expect(long)
        ProgressBar(stream=stream).expect(short)
        ProgressBar(enabled=False, stream=stream).expect(long)
        assert stream.getvalue() == ("writing about 53 million cells (about 880 MB), expected "
                                     "to take about 2 minutes\n")
