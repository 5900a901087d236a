"""Command-line parsing that fails the way the rest of sheetgen does: in one line."""

import argparse
import math
import re

NEGATIVE_NUMBER = re.compile(r"^-(\d|\.\d|inf|nan)", re.IGNORECASE)


class OneLineParser(argparse.ArgumentParser):
    """An argparse parser whose errors are a single line on stderr and exit status 2."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Let `--bias -1e-5` and `--weight -inf` through as values: argparse (before 3.14)
        # takes only plain negative decimals for numbers, and anything else for an option.
        self._negative_number_matcher = NEGATIVE_NUMBER

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def number_within(low: float, high: float, allowed: str):
    """A parser of a finite number from `low` to `high`, as an input cell's validation allows;
    `allowed` says the range in words ("must be above 0 and at most 1")."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(f"{allowed}, not {text}")
        return value
    return parse
