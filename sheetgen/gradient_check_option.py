"""`--gradient-check [H]`, on every command that writes a workbook."""

import argparse
import math

from sheetgen.sheets.gradient_check import DEFAULT_STEP, step_input


def add_gradient_check_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gradient-check", type=_step, nargs="?", const=DEFAULT_STEP,
                        metavar="H", dest="gradient_step",
                        help="beside every gradient, estimate it from the loss at the weight "
                             "or bias ± H (default H 1e-6, the named cell GRADIENT_STEP) and "
                             "show how far apart the two are; adds _gradient_check to the "
                             "default file name")


def _step(text: str) -> float:
    """H, within the bounds its cell's validation allows."""
    cell = step_input(row=0)
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
    if not (math.isfinite(value) and cell.low <= value <= cell.high):
        raise argparse.ArgumentTypeError(f"must be above 0 and at most {cell.high:g}, not {text}")
    return value
