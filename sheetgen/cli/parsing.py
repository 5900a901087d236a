"""Command-line parsing that fails the way the rest of sheetgen does: in one line, with the
messages of the options' own parsers (`sheetgen.options`), which the Python API shares."""

import argparse
import re

from sheetgen import options
from sheetgen.errors import InputError
from sheetgen.maths.optimizers import GRADIENT_DESCENT, HYPERPARAMETERS, OPTIMIZERS
from sheetgen.sheets.gradient_check import DEFAULT_STEP
from sheetgen.writing.size import LARGEST

NEGATIVE_NUMBER = re.compile(r"^-(\d|\.\d|inf|nan)", re.IGNORECASE)
NOT_OPTIONS = ("output", "quiet")
"""What the parsers read that is not an option of the API's functions."""


class OneLineParser(argparse.ArgumentParser):
    """An argparse parser whose errors are a single line on stderr and exit status 2."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Let `--bias -1e-5` and `--weight -inf` through as values: argparse (before 3.14)
        # takes only plain negative decimals for numbers, and anything else for an option.
        self._negative_number_matcher = NEGATIVE_NUMBER

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def typed(parse: options.Parse):
    """An argparse type from an option's parser: argparse names the option itself."""
    def parse_text(text: str):
        try:
            return parse(text)
        except InputError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return parse_text


def given(namespace: argparse.Namespace) -> dict[str, object]:
    """The options given, by the API's names, for `sheetgen.api`'s functions."""
    return {name: value for name, value in vars(namespace).items()
            if value is not None and name not in NOT_OPTIONS}


def add_optimizer_options(parser: argparse.ArgumentParser) -> None:
    """`--optimizer` and its hyperparameters, on every command that writes a workbook."""
    parser.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default=GRADIENT_DESCENT.name,
                        help="how each weight and bias steps against its gradient: plain "
                             "gradient descent (default), momentum, RMSProp or Adam; any but "
                             "gd adds an Optimizers sheet comparing all four")
    for hyperparameter in HYPERPARAMETERS.values():
        users = [o.name for o in OPTIMIZERS.values()
                 if hyperparameter.name in o.hyperparameters]
        kind = "in [0, 1)" if hyperparameter.is_decay else "above 0"
        parser.add_argument(hyperparameter.option,
                            type=typed(options.hyperparameter(hyperparameter)), metavar="X",
                            help=f"{hyperparameter.meaning[:-1].lower()} ({kind}; "
                                 f"{' and '.join(users)} only; default "
                                 f"{hyperparameter.default:g})")


def add_gradient_check_option(parser: argparse.ArgumentParser) -> None:
    """`--gradient-check [H]`, on every command that writes a workbook."""
    parser.add_argument("--gradient-check", nargs="?", const=DEFAULT_STEP, metavar="H",
                        type=typed(options.gradient_step),
                        help="beside every gradient, estimate it from the loss at the weight "
                             "or bias ± H (default H 1e-6, the named cell GRADIENT_STEP) and "
                             "show how far apart the two are; adds _gradient_check to the "
                             "default file name")


def add_output_options(parser: argparse.ArgumentParser, suffix: str, where: str) -> None:
    """-o, whose help says `where` it writes by default, --allow-large and -q."""
    parser.add_argument("-o", "--output", type=typed(options.path_ending(suffix)),
                        metavar="FILE", help=where)
    parser.add_argument("--allow-large", action="store_const", const=True,
                        help=f"write the workbook even where it is estimated past "
                             f"{LARGEST / 1e9:g} GB, more than spreadsheet programs open "
                             "(refused otherwise, before anything is written)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing but errors (no progress, no estimate)")


def add_closing_options(parser: argparse.ArgumentParser, suffix: str, where: str) -> None:
    """What every command that writes a workbook ends with: the optimizer and its
    hyperparameters, the gradient check, -o, --allow-large and -q."""
    add_optimizer_options(parser)
    add_gradient_check_option(parser)
    add_output_options(parser, suffix, where)
