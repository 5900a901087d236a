"""`sheetgen exercise [network]`: the workbook of `sheetgen` or `sheetgen network` with cells
left for a class to work out."""

import argparse

from sheetgen import api, options
from sheetgen.cli.network import network_parser
from sheetgen.cli.neuron import generate_parser
from sheetgen.cli.parsing import typed
from sheetgen.cli.running import print_handout, write
from sheetgen.sheets.exercise import DEFAULT_ROWS, RIGHT_WITHIN, STAGES
from sheetgen.summaries import ExerciseSummary

DESCRIPTION = ("Write the workbook as an exercise: the first rows of the columns named are "
               "left empty, orange, for a class to work out; 'sheetgen grade FILE' marks a "
               "filled-in one.")


def add_exercise_options(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    stages = "; ".join(f"{name}: {words}" for name, words in STAGES.items())
    parser.add_argument("--blank", type=typed(options.EXERCISE_OPTIONS["blank"].parse),
                        metavar="WHAT,…",
                        help="the columns to leave empty, by their headers as the Training "
                             "sheet shows them ('Weight gradient', 'δ h1'), or stages "
                             f"({stages})")
    parser.add_argument("--rows", type=typed(options.EXERCISE_OPTIONS["rows"].parse),
                        metavar="N", help="how many attempts' rows to leave empty (default "
                                          f"{DEFAULT_ROWS}; a weight's or a bias's are its "
                                          "first N updates)")
    parser.add_argument("--self-check", action="store_const", const=True,
                        help=f"mark each blank live, ✓ within {RIGHT_WITHIN:g} (relative) of "
                             "the answer, ✗ otherwise, from a hidden Answers sheet; without "
                             "it the file holds no answer")


WHERE = ("where to write it (default: the workbook's own name in output/ with {}, such as "
         "output/{}{}{})")


def _where(workbook: str, suffix: str, answers: bool = False) -> str:
    ending = f"_exercise{'[_answers]' if answers else ''}"
    return WHERE.format(ending, workbook, ending, suffix)


def exercise_command(argv: list[str]) -> int:
    parser = generate_parser("sheetgen exercise", where=_where("single_neuron_training", ".xlsx"))
    add_exercise_options(parser)
    return write(api.exercise, parser.parse_args(argv), written_line)


def network_exercise_command(argv: list[str]) -> int:
    parser = network_parser("sheetgen exercise network",
                            where=_where("xor_training", ".xlsx"))
    add_exercise_options(parser)
    return write(api.network_exercise, parser.parse_args(argv), written_line)


def exercise_handout_command(argv: list[str]) -> int:
    parser = generate_parser("sheetgen handout exercise", ".pdf",
                             _where("single_neuron_training", ".pdf", answers=True))
    add_handout_options(parser)
    return print_handout(api.exercise_handout, parser.parse_args(argv))


def network_exercise_handout_command(argv: list[str]) -> int:
    parser = network_parser("sheetgen handout exercise network", ".pdf",
                            _where("xor_training", ".pdf", answers=True))
    add_handout_options(parser)
    return print_handout(api.network_exercise_handout, parser.parse_args(argv))


def add_handout_options(parser: argparse.ArgumentParser) -> None:
    add_exercise_options(parser)
    parser.description = ("Print the exercise as a class handout (PDF, through headless "
                          "LibreOffice), its blanks as empty boxes for pencil work; --answers "
                          "prints the key.")
    parser.add_argument("--answers", action="store_const", const=True,
                        help="print the key: the boxes hold the answers (adds _answers to "
                             "the file's name)")


def written_line(written: ExerciseSummary) -> str:
    marks = "; it marks each one as it is typed" if written.self_check else \
        "; it holds no answer: grade it with 'sheetgen grade'"
    return (f"wrote {written.path}: {written.blanks:,} cells to work out "
            f"({', '.join(written.headers)}) in rows {written.first_row} to "
            f"{written.last_row}{marks}")
