"""The `sheetgen` command: a thin layer over the Python API (`sheetgen.api`) that parses the
options, prints what the API returns, and turns its errors into one line and an exit status."""

import difflib
import signal
import sys
from importlib.metadata import version

from sheetgen.cli.imports import import_openpyxl_without_numpy

import_openpyxl_without_numpy()

from sheetgen.cli.check import check_command  # noqa: E402  (after openpyxl, above)
from sheetgen.cli.exercise import (  # noqa: E402
    exercise_command,
    exercise_handout_command,
    network_exercise_command,
    network_exercise_handout_command,
)
from sheetgen.cli.grade import grade_command  # noqa: E402
from sheetgen.cli.network import network, network_handout  # noqa: E402
from sheetgen.cli.neuron import generate, handout  # noqa: E402
from sheetgen.engines.handout import HandoutError  # noqa: E402
from sheetgen.errors import InputError  # noqa: E402
from sheetgen.writing.atomic import OutputError  # noqa: E402
from sheetgen.writing.parallel import RowFormattingError  # noqa: E402
from sheetgen.writing.workbook import LxmlError  # noqa: E402

COMMANDS = {("check",): check_command, ("handout", "exercise", "network"):
            network_exercise_handout_command, ("handout", "exercise"): exercise_handout_command,
            ("handout", "network"): network_handout,
            ("handout",): handout, ("network",): network,
            ("exercise", "network"): network_exercise_command, ("exercise",): exercise_command,
            ("grade",): grade_command}
"""Each command by the words that name it, the longest first where one starts another."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    if argv[:1] == ["--version"]:
        print(f"sheetgen {version('sheetgen')}")
        return 0
    command = next(((words, run) for words, run in COMMANDS.items()
                    if tuple(argv[:len(words)]) == words), ((), generate))
    if not command[0] and argv and not argv[0].startswith("-"):
        print(f"sheetgen: error: {unknown_command(argv[0])}", file=sys.stderr)
        return 2
    try:
        return command[1](argv[len(command[0]):])
    except (OutputError, HandoutError, InputError) as error:
        print(f"sheetgen: error: {error}", file=sys.stderr)
        return 2
    except (RowFormattingError, LxmlError) as error:
        print(f"sheetgen: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sheetgen: interrupted; nothing was written", file=sys.stderr)
        return 130


def unknown_command(word: str) -> str:
    """What to say of a first word that names no command: the closest commands, or all."""
    commands = sorted({words[0] for words in COMMANDS})
    closest = difflib.get_close_matches(word, commands, n=2, cutoff=0.6)
    if closest:
        return f"unknown command {word!r}; did you mean {' or '.join(map(repr, closest))}?"
    return f"unknown command {word!r}; the commands are {', '.join(commands)}"


def _exit_on_terminate(signum, frame):
    """Turn SIGTERM into an exception, so a half-written workbook is cleaned up on the way out."""
    raise KeyboardInterrupt
