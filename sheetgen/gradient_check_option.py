"""`--gradient-check [H]`, on every command that writes a workbook."""

import argparse

from sheetgen.arguments import number_within
from sheetgen.sheets.gradient_check import DEFAULT_STEP, step_input


def add_gradient_check_option(parser: argparse.ArgumentParser) -> None:
    cell = step_input(row=0)   # H within the bounds its cell's validation allows
    parser.add_argument("--gradient-check", nargs="?", const=DEFAULT_STEP, metavar="H",
                        dest="gradient_step",
                        type=number_within(cell.low, cell.high,
                                           f"must be above 0 (at least {cell.low:g}) and "
                                           f"at most {cell.high:g}"),
                        help="beside every gradient, estimate it from the loss at the weight "
                             "or bias ± H (default H 1e-6, the named cell GRADIENT_STEP) and "
                             "show how far apart the two are; adds _gradient_check to the "
                             "default file name")
