"""Benchmark: grading a class at once against grading one file, in the same run.

    python benchmarks/grading.py [--students N] [--repeats N]

Writes the XOR preset's exercise with its backward stage blank in 2 rows (42 cells), fills
N copies as a class would (the right formulas, numbers to 4 figures, one wrong number in
every third file), then times `sheetgen grade` of one of them, and of the whole folder in one
LibreOffice session, each the median of the repeats, as a teacher runs them: a new process
each time, Python's start included. The goal: the class in at most 3 times one file's time.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

import sheetgen  # noqa: F401  (before openpyxl: sheetgen chooses how it writes XML)
from openpyxl import load_workbook

from sheetgen import api
from sheetgen.sheets.blanks import exercise_of
from sheetgen.sheets.network_sheet import describe
from sheetgen.engines.subjects import network_reference

OPTIONS = dict(preset="xor")
BLANK, ROWS = ("backward",), 2
GOAL = 3.0


def write_class(folder: Path, students: int) -> None:
    """The exercise, and `students` filled-in copies of it."""
    exercise_path = folder / "exercise.xlsx"
    api.network_exercise(exercise_path, blank=",".join(BLANK), rows=ROWS, **OPTIONS)
    run = api.network_run(**OPTIONS)
    sheet = describe(run)
    exercise = exercise_of(sheet.columns, BLANK, ROWS, run.attempts)
    attempts = list(islice(network_reference(run), exercise.last_row))
    answers = {f"{col.letter}{row}": (col.formula(row), attempts[row - 3][col.field])
               for col, row in exercise.cells()}
    (folder / "class").mkdir()
    for student in range(students):
        workbook = load_workbook(exercise_path)
        for number, (cell, (formula, value)) in enumerate(answers.items()):
            typed = formula if (student + number) % 2 else float(f"{value:.4g}")
            if student % 3 == 2 and number == 0:
                typed = value * 1.01
            workbook["Training"][cell] = typed
        workbook.save(folder / "class" / f"student{student + 1:02d}.xlsx")


def graded_seconds(*paths: Path) -> float:
    started = time.perf_counter()
    outcome = subprocess.run([sys.executable, "-m", "sheetgen", "grade", *map(str, paths)],
                             capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if outcome.returncode not in (0, 1):
        raise SystemExit(f"grading failed: {outcome.stderr.strip()}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sheetgen-bench-") as scratch:
        folder = Path(scratch)
        write_class(folder, options.students)
        one, whole = [], []
        for _ in range(options.repeats):
            one.append(graded_seconds(folder / "class" / "student01.xlsx"))
            whole.append(graded_seconds(folder / "class"))
    one, whole = statistics.median(one), statistics.median(whole)
    print(f"grading the XOR exercise (42 blanks, {options.students} students), the median of "
          f"{options.repeats}")
    print(f"  one file:            {one:6.2f} s")
    print(f"  the class at once:   {whole:6.2f} s  ({whole / options.students:.2f} s a file)")
    print(f"  class / one file:    {whole / one:6.2f}x  (goal at most {GOAL:g}x: "
          f"{'met' if whole / one <= GOAL else 'NOT met'})")


if __name__ == "__main__":
    main()
