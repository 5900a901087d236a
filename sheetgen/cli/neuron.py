"""`sheetgen` and `sheetgen handout`: the article's neuron's workbook, or its handout."""

from sheetgen import api, options
from sheetgen.cli.parsing import OneLineParser, add_closing_options, typed
from sheetgen.cli.running import print_handout, write
from sheetgen.inputs.presets import NEURON_PRESET, NEURON_PRESETS

DESCRIPTIONS = {
    ".xlsx": "Write a spreadsheet in which a single tanh neuron learns, one row per training "
             "attempt, every cell a live formula. 'sheetgen network' writes one for a small "
             "network; 'sheetgen check FILE' recalculates a workbook in a real spreadsheet "
             "engine and compares it with the reference; 'sheetgen handout [network]' prints "
             "the workbook to PDF.",
    ".pdf": "Print the workbook as a class handout (PDF, through headless LibreOffice): the "
            "Training sheet's first attempts beside its charts, the Sweep chart, the Notes.",
}
NUMBERS = (("--learning-rate", "how far each update steps against the gradient (A2; the "
                               "article's 0.1)"),
           ("--attempts", "training attempts, one row each (the article's 1000)"),
           ("--input", "the training input (A5; default 0.01)"),
           ("--target-factor", "the target is the input times this (A8; default 10)"),
           ("--weight", "the initial weight (A11; default 0.5)"),
           ("--bias", "the initial bias (A14; default 0.5)"),
           ("--loss-threshold", "a loss below this counts as learned, in the summary "
                                "(A17; default 1e-12)"))


def generate_parser(prog: str = "sheetgen", suffix: str = ".xlsx",
                    where: str | None = None) -> OneLineParser:
    parser = OneLineParser(prog=prog, description=DESCRIPTIONS[suffix])
    parser.add_argument("--preset", choices=sorted(NEURON_PRESETS), default=NEURON_PRESET,
                        help="start from the article's sheet (default) or its Rust demo "
                             "(learning rate 0.01, 100,001 attempts); options below override it")
    for flag, meaning in NUMBERS:
        parser.add_argument(flag, type=typed(options.NEURON_OPTIONS[_name(flag)].parse),
                            metavar="N" if flag == "--attempts" else "X", help=meaning)
    add_closing_options(parser, suffix, where or
                        f"where to write it (default output/{NEURON_PRESETS['article'][1]}"
                        f"{suffix}, or output/{NEURON_PRESETS['rust'][1]}{suffix} for the rust "
                        "preset; an optimizer other than gd adds its name, as "
                        "--gradient-check adds _gradient_check, and either writes the "
                        "neuron as a 1-1 network, with that sheet's layout)")
    return parser


def _name(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def generate(argv: list[str]) -> int:
    return write(api.neuron, generate_parser().parse_args(argv))


def handout(argv: list[str]) -> int:
    chosen = generate_parser("sheetgen handout", ".pdf").parse_args(argv)
    return print_handout(api.neuron_handout, chosen)
