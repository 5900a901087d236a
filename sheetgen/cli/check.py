"""`sheetgen check FILE`: print what `sheetgen.check` finds, as it finds it."""

import sys
from pathlib import Path

from sheetgen import api
from sheetgen.cli.parsing import OneLineParser
from sheetgen.engines.check import TOLERANCE, CannotCheck
from sheetgen.engines.programs import ENGINES


def check_command(argv: list[str]) -> int:
    parser = OneLineParser(
        prog="sheetgen check",
        description="Recalculate a training workbook in real spreadsheet engines and compare "
                    f"every computed cell with the Python reference (within {TOLERANCE:g}).")
    parser.add_argument("file", type=Path, help="the .xlsx workbook to check")
    parser.add_argument("--engine", choices=[*ENGINES, "all"], default="all",
                        help="which engine recalculates (default: every one installed)")
    options = parser.parse_args(argv)
    try:
        result = api.check(options.file, options.engine, out=sys.stdout)
    except CannotCheck as error:
        print(f"sheetgen check: cannot check {options.file}: {error}", file=sys.stderr)
        return 2
    return 0 if result.passed else 1
