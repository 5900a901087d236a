"""`sheetgen grade FILE [--json]`: mark a filled-in exercise, blank by blank."""

import json
import sys
from pathlib import Path

from sheetgen import api
from sheetgen.cli.parsing import OneLineParser
from sheetgen.engines.grading import EMPTY, RIGHT, Graded, CannotGrade
from sheetgen.sheets.exercise import RIGHT_WITHIN


def grade_command(argv: list[str]) -> int:
    parser = OneLineParser(
        prog="sheetgen grade",
        description="Recalculate a filled-in exercise in LibreOffice and say of every blank "
                    f"whether it is right (within {RIGHT_WITHIN:g}, relative, of the answer "
                    "worked out from the cells above it), wrong, or still empty. Exit status "
                    "0 when every blank is right, 1 otherwise, 2 for a file that is not an "
                    "exercise.")
    parser.add_argument("file", type=Path, help="the exercise's .xlsx file, as saved")
    parser.add_argument("--json", action="store_true", help="print the marks as JSON")
    options = parser.parse_args(argv)
    try:
        graded = api.grade(options.file)
    except CannotGrade as error:
        print(f"sheetgen grade: cannot grade {options.file}: {error}", file=sys.stderr)
        return 2
    print(json.dumps(as_json(graded), ensure_ascii=False, indent=1) if options.json
          else "\n".join(report(graded)))
    return 0 if graded.passed else 1


def report(graded: Graded) -> list[str]:
    """The inputs graded against, a line per blank, and the score."""
    lines = [f"graded against the file's inputs: {graded.inputs}"]
    for blank in graded.blanks:
        if blank.status == EMPTY:
            lines.append(f"{blank.cell:>6}  {blank.header}: empty")
        elif blank.status == RIGHT:
            lines.append(f"{blank.cell:>6}  {blank.header}: right ({blank.typed})")
        else:
            lines.append(f"{blank.cell:>6}  {blank.header}: wrong ({blank.typed}, "
                         f"{blank.found!r}; expected {blank.expected!r})")
    lines.append(f"score: {graded.right} of {len(graded.blanks)} right"
                 f" ({100 * graded.right / len(graded.blanks):.0f}%)")
    return lines


def as_json(graded: Graded) -> dict:
    return {"file": str(graded.path), "inputs": graded.inputs, "right": graded.right,
            "blanks": len(graded.blanks),
            "passed": graded.passed,
            "cells": [{"cell": b.cell, "header": b.header, "status": b.status,
                       "typed": b.typed, "found": b.found, "expected": b.expected}
                      for b in graded.blanks]}
