"""`sheetgen grade FILE… | DIR [--digits D] [--json] [--class-table FILE]`: mark filled-in
exercises, blank by blank for one file, a line a file for a class."""

import json
import sys
from pathlib import Path

from sheetgen import api, options
from sheetgen.cli.parsing import OneLineParser, typed
from sheetgen.engines.grading import (
    DEFAULT_DIGITS,
    EMPTY,
    RIGHT,
    WRONG,
    Blank,
    CannotGrade,
    Graded,
    Ungraded,
)
from sheetgen.errors import InputError
from sheetgen.sheets.exercise import RIGHT_WITHIN
from sheetgen.writing.atomic import OutputError


def grade_command(argv: list[str]) -> int:
    parser = OneLineParser(
        prog="sheetgen grade",
        description="Recalculate filled-in exercises in LibreOffice, all in one session, and "
                    "mark every blank: right when it agrees with the answer, or with what "
                    "follows from the student's own cells that it reads; wrong; or still "
                    "empty. One file: a line a blank. Several, or a folder: a line a file. "
                    "Exit status 0 when every blank of every file is right, 1 otherwise, 2 "
                    "for a file that cannot be graded.")
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE|DIR",
                        help="the exercises' .xlsx files as saved, or folders of them")
    parser.add_argument("--digits", type=typed(options.GRADE_OPTIONS["digits"].parse),
                        default=DEFAULT_DIGITS, metavar="D",
                        help="significant figures a typed number must agree to (default "
                             f"{DEFAULT_DIGITS}); a formula must agree within {RIGHT_WITHIN:g}, "
                             "relative")
    parser.add_argument("--json", action="store_true", help="print the marks as JSON")
    parser.add_argument("--class-table", type=Path, metavar="FILE",
                        help="also write a line a file, to sort: a .csv file or an .xlsx "
                             "workbook")
    chosen = parser.parse_args(argv)
    try:
        results = api.grade_class(chosen.files, digits=chosen.digits, table=chosen.class_table)
    except (CannotGrade, InputError, OutputError) as error:
        print(f"sheetgen grade: {error}", file=sys.stderr)
        return 2
    single = len(results) == 1 and not chosen.files[0].is_dir()
    if chosen.json:
        marks = [as_json(result) for result in results]
        print(json.dumps(marks[0] if single else marks, ensure_ascii=False, indent=1))
    elif single:
        if isinstance(results[0], Graded):
            print("\n".join(report(results[0])))
    else:
        print("\n".join(class_report(results)))
    for result in results:
        if isinstance(result, Ungraded) and (single or chosen.json):
            print(f"sheetgen grade: cannot grade {result.path}: {result.reason}",
                  file=sys.stderr)
    if any(isinstance(result, Ungraded) for result in results):
        return 2
    return 0 if all(result.passed for result in results) else 1


def report(graded: Graded) -> list[str]:
    """The inputs graded against, a line per blank, and the score."""
    lines = [f"graded against the file's inputs: {graded.inputs}",
             f"a typed number is right to {graded.digits} significant figures, a formula "
             f"within {RIGHT_WITHIN:g}"]
    lines += [f"{blank.cell:>6}  {blank.header}: {mark(blank)}" for blank in graded.blanks]
    lines.append(f"score: {graded.right} of {len(graded.blanks)} right"
                 f" ({100 * graded.right / len(graded.blanks):.0f}%)")
    return lines


def mark(blank: Blank) -> str:
    """A blank's mark in words: what was typed, and for a wrong one what was expected."""
    if blank.status == EMPTY:
        return EMPTY
    if blank.status == RIGHT:
        return f"{blank.verdict} ({blank.typed})"
    expected = f"expected {blank.expected!r}"
    if blank.followed is not None:
        expected += f", or {blank.followed!r} following your " + \
            " and ".join(blank.following)
    elif blank.unknown is not None:
        expected += f"; {blank.unknown}"
    return f"{WRONG} ({blank.typed}, {blank.found!r}; {expected})"


def class_report(results: list[Graded | Ungraded]) -> list[str]:
    """A line a file, its score and the cells to look at; then the class's count."""
    width = max(len(result.path.name) for result in results)
    lines = []
    for result in results:
        name = f"{result.path.name:<{width}}"
        if isinstance(result, Ungraded):
            lines.append(f"{name}  cannot grade: {result.reason}")
            continue
        cells = [f"{status} {' '.join(result.cells(status))}" for status in (WRONG, EMPTY)
                 if result.cells(status)]
        lines.append(f"{name}  {result.right} of {len(result.blanks)} right "
                     f"({100 * result.right / len(result.blanks):.0f}%)"
                     + (f"; {'; '.join(cells)}" if cells else ""))
    fully = sum(isinstance(result, Graded) and result.passed for result in results)
    lines.append(f"class: {fully} of {len(results)} files fully right")
    return lines


def as_json(result: Graded | Ungraded) -> dict:
    """The same facts as the report, each blank's given where it has them."""
    if isinstance(result, Ungraded):
        return {"file": str(result.path), "graded": False, "reason": result.reason}
    return {"file": str(result.path), "graded": True, "inputs": result.inputs,
            "digits": result.digits, "right": result.right, "blanks": len(result.blanks),
            "passed": result.passed, "cells": [_blank_json(blank) for blank in result.blanks]}


def _blank_json(blank: Blank) -> dict:
    facts = {"cell": blank.cell, "header": blank.header, "status": blank.status,
             "mark": blank.verdict, "typed": blank.typed, "found": blank.found,
             "expected": blank.expected, "following": list(blank.following),
             "followed": blank.followed, "unknown": blank.unknown}
    return {key: value for key, value in facts.items() if value not in (None, [])}
