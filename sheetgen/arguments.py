"""Command-line parsing that fails the way the rest of sheetgen does: in one line."""

import argparse
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
