"""The `sheetgen` command: generate the workbook, or check one in a real spreadsheet engine."""

import argparse
import math
import signal
import sys
from dataclasses import replace
from pathlib import Path

from sheetgen import network_command
from sheetgen.arguments import OneLineParser
from sheetgen.engines.check import check_command
from sheetgen.engines.handout import HandoutError, write_handout
from sheetgen.gradient_check_option import add_gradient_check_option
from sheetgen.errors import InputError as DataError
from sheetgen.maths.network import Overflow, Run
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.optimizer_options import add_optimizer_options, optimizer_settings
from sheetgen.sheets import panel
from sheetgen.sheets.columns import MAX_ATTEMPTS, last_row
from sheetgen.sheets.network_sheet import run_line
from sheetgen.writing import atomic
from sheetgen.writing.layout import parameters_line
from sheetgen.writing.network_workbook import write_network_workbook
from sheetgen.writing.parallel import RowFormattingError
from sheetgen.writing.progress import ProgressBar
from sheetgen.writing.workbook import write_workbook

OUTPUT_DIRECTORY = Path("output")

PRESETS = {
    "article": (Parameters(), "single_neuron_training"),
    "rust": (Parameters(learning_rate=0.01, attempts=100_001), "rust_demo_training"),
}
"""Each preset's parameters, and the name its files get in output/ unless -o says otherwise."""


def number_for(field: str):
    """A parser for the option that sets the input cell holding `field`, with its bounds."""
    entry = next(entry for entry in panel.INPUTS if entry.field == field)

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number, not {text!r}")
        if not entry.low <= value <= entry.high:
            raise argparse.ArgumentTypeError(
                f"must lie between {_plain(entry.low)} and {_plain(entry.high)}, not {text}")
        return value
    return parse


def _plain(bound: float) -> str:
    """A bound as people write it: 1,000,000 rather than 1e+06."""
    return f"{bound:,.0f}" if bound == int(bound) else f"{bound:g}"


def attempt_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 1 <= value <= MAX_ATTEMPTS:
        raise argparse.ArgumentTypeError(
            f"must be between 1 and {MAX_ATTEMPTS:,} (rows 3 to "
            f"{last_row(MAX_ATTEMPTS):,}, the last row an .xlsx sheet has), not {value:,}")
    return value


def path_ending(suffix: str):
    def parse(text: str) -> Path:
        path = Path(text)
        if path.suffix.lower() != suffix:
            raise argparse.ArgumentTypeError(f"must name a {suffix} file, not {text!r}")
        return path
    return parse


DESCRIPTIONS = {
    ".xlsx": "Write a spreadsheet in which a single tanh neuron learns, one row per training "
             "attempt, every cell a live formula. 'sheetgen network' writes one for a small "
             "network; 'sheetgen check FILE' recalculates a workbook in a real spreadsheet "
             "engine and compares it with the reference; 'sheetgen handout [network]' prints "
             "the workbook to PDF.",
    ".pdf": "Print the workbook as a class handout (PDF, through headless LibreOffice): the "
            "Training sheet's first attempts beside its charts, the Sweep chart, the Notes.",
}


def generate_parser(prog: str = "sheetgen", suffix: str = ".xlsx") -> OneLineParser:
    parser = OneLineParser(prog=prog, description=DESCRIPTIONS[suffix])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="article",
                        help="start from the article's sheet (default) or its Rust demo "
                             "(learning rate 0.01, 100,001 attempts); options below override it")
    parser.add_argument("--learning-rate", type=number_for("learning_rate"), metavar="X",
                        help="how far each update steps against the gradient "
                             "(A2; the article's 0.1)")
    parser.add_argument("--attempts", type=attempt_count, metavar="N",
                        help="training attempts, one row each (the article's 1000)")
    parser.add_argument("--input", type=number_for("input"), metavar="X",
                        help="the training input (A5; default 0.01)")
    parser.add_argument("--target-factor", type=number_for("target_factor"), metavar="X",
                        help="the target is the input times this (A8; default 10)")
    parser.add_argument("--weight", type=number_for("weight"), metavar="X",
                        help="the initial weight (A11; default 0.5)")
    parser.add_argument("--bias", type=number_for("bias"), metavar="X",
                        help="the initial bias (A14; default 0.5)")
    parser.add_argument("--loss-threshold", type=number_for("loss_threshold"), metavar="X",
                        help="a loss below this counts as learned, in the summary "
                             "(A17; default 1e-12)")
    add_optimizer_options(parser)
    add_gradient_check_option(parser)
    parser.add_argument("-o", "--output", type=path_ending(suffix), metavar="FILE",
                        help=f"where to write it (default output/{PRESETS['article'][1]}"
                             f"{suffix}, or output/{PRESETS['rust'][1]}{suffix} for the rust "
                             "preset; an optimizer other than gd adds its name, as "
                             "--gradient-check adds _gradient_check, and either writes the "
                             "neuron as a 1-1 network, with that sheet's layout)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing but errors")
    return parser


def parameters_from(options: argparse.Namespace) -> Parameters:
    preset, _ = PRESETS[options.preset]
    chosen = {name: getattr(options, name)
              for name in ("learning_rate", "attempts", "input", "target_factor", "weight",
                           "bias", "loss_threshold")
              if getattr(options, name) is not None}
    return replace(preset, **chosen)


def output_path(options: argparse.Namespace, name: str, suffix: str) -> Path:
    """The -o path, or the file `name` in output/, which is made if need be."""
    if options.output is not None:
        return options.output
    try:
        OUTPUT_DIRECTORY.mkdir(exist_ok=True)
    except OSError as error:
        raise atomic.OutputError(f"cannot make {OUTPUT_DIRECTORY}/: {error.strerror}") from None
    return OUTPUT_DIRECTORY / f"{name}{suffix}"


def _write_whole(output: Path, quiet: bool, write):
    """Write a workbook in place of `output`, all at once or not at all, with a progress bar;
    return what `write(file, progress)` returns."""
    progress = ProgressBar(enabled=not quiet)
    try:
        with atomic.replacing(output) as file:
            return write(file, progress)
    finally:
        progress.close()


def _article_as_network(options: argparse.Namespace, parameters: Parameters) -> Run | None:
    """The article's neuron as a 1-1 network, for an optimizer other than plain gradient
    descent or a gradient check, which the article's own sheet has no columns for; None
    otherwise. Either way, a hyperparameter given for an optimizer without it is refused."""
    if options.optimizer != GRADIENT_DESCENT.name or options.gradient_step is not None:
        return network_command.article_run(parameters, options)
    optimizer_settings(options)
    return None


def generate(argv: list[str]) -> int:
    options = generate_parser().parse_args(argv)
    parameters = parameters_from(options)
    if run := _article_as_network(options, parameters):
        return _write_network(run, options, PRESETS[options.preset][1])
    output = output_path(options, PRESETS[options.preset][1], ".xlsx")
    summary = _write_whole(output, options.quiet,
                           lambda file, progress: write_workbook(parameters, file, progress))
    if not options.quiet:
        print(f"wrote {output}: {parameters.attempts:,} attempts (rows 3 to "
              f"{last_row(parameters.attempts):,}) at learning rate {parameters.learning_rate:g};"
              f" the last outputs {summary.final_output!r} for target {parameters.target!r}"
              f" ({summary.status})")
    return 0


def handout(argv: list[str]) -> int:
    options = generate_parser("sheetgen handout", ".pdf").parse_args(argv)
    parameters = parameters_from(options)
    if run := _article_as_network(options, parameters):
        return _print_network(run, options, PRESETS[options.preset][1])
    output = output_path(options, PRESETS[options.preset][1], ".pdf")
    pages = write_handout(lambda file: write_workbook(parameters, file), output)
    if not options.quiet:
        print(f"wrote {output}: {pages} pages, {parameters_line(parameters)}")
    return 0


NETWORK_DESCRIPTIONS = {
    ".xlsx": "Write a spreadsheet in which a small neural network learns by backpropagation, "
             "one row per training attempt, every cell a live formula.",
    ".pdf": "Print a network's workbook as a class handout (PDF, through headless "
            "LibreOffice): the first attempts, the charts, the data and the notes.",
}


def network_parser(prog: str = "sheetgen network", suffix: str = ".xlsx") -> OneLineParser:
    parser = OneLineParser(prog=prog, description=NETWORK_DESCRIPTIONS[suffix])
    network_command.add_network_options(parser, number_for, attempt_count, path_ending,
                                        suffix)
    return parser


def network(argv: list[str]) -> int:
    options = network_parser().parse_args(argv)
    return _write_network(network_command.run_from(options), options,
                          network_command.output_name(options),
                          network_command.compared_rates(options))


def network_handout(argv: list[str]) -> int:
    options = network_parser("sheetgen handout network", ".pdf").parse_args(argv)
    return _print_network(network_command.run_from(options), options,
                          network_command.output_name(options),
                          network_command.compared_rates(options))


def _write_network(run: Run, options: argparse.Namespace, name: str,
                   compared: dict[str, float] | None = None) -> int:
    output = output_path(options, network_command.with_choices(name, options), ".xlsx")
    summary = _write_whole(output, options.quiet, lambda file, progress: write_network_workbook(
        run, file, progress, compared))
    if not options.quiet:
        check = ("" if summary.largest_difference is None else
                 f"; the gradient check's largest relative difference is "
                 f"{summary.largest_difference:.1e} (where the loss is at or above the "
                 "threshold)")
        print(f"wrote {output}: {run_line(run)}; the last loss is "
              f"{summary.final_loss!r} ({summary.status}){check}")
    return 0


def _print_network(run: Run, options: argparse.Namespace, name: str,
                   compared: dict[str, float] | None = None) -> int:
    output = output_path(options, network_command.with_choices(name, options), ".pdf")
    pages = write_handout(lambda file: write_network_workbook(run, file, None, compared),
                          output)
    if not options.quiet:
        print(f"wrote {output}: {pages} pages, {run_line(run)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    try:
        if argv[:1] == ["check"]:
            return check_command(argv[1:])
        if argv[:2] == ["handout", "network"]:
            return network_handout(argv[2:])
        if argv[:1] == ["handout"]:
            return handout(argv[1:])
        if argv[:1] == ["network"]:
            return network(argv[1:])
        return generate(argv)
    except (atomic.OutputError, HandoutError, DataError, Overflow) as error:
        print(f"sheetgen: error: {error}", file=sys.stderr)
        return 2
    except RowFormattingError as error:
        print(f"sheetgen: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sheetgen: interrupted; nothing was written", file=sys.stderr)
        return 130


def _exit_on_terminate(signum, frame):
    """Turn SIGTERM into an exception, so a half-written workbook is cleaned up on the way out."""
    raise KeyboardInterrupt
