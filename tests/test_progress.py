"""The progress bar: drawn on a terminal once a generation takes a while, silent otherwise."""

import io

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


def test_silent_when_not_a_terminal_or_quiet():
    for stream, enabled in ((io.StringIO(), True), (Terminal(), False)):
        bar = ProgressBar(enabled=enabled, stream=stream, delay=0)
        bar(5, 10)
        bar.close()
        assert stream.getvalue() == ""
