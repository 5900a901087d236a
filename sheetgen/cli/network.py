"""`sheetgen network` and `sheetgen handout network`: a network's workbook, or its handout."""

import argparse

from sheetgen import api
from sheetgen.cli.parsing import OneLineParser, add_closing_options, typed
from sheetgen.cli.running import print_handout, write
from sheetgen.inputs.presets import DEFAULT_NAME, NETWORK_PRESETS
from sheetgen.maths import datasets, playground
from sheetgen.maths.features import FEATURES
from sheetgen.sheets.boundary import DEFAULT_GRID, FEWEST_GRID, MOST_GRID
from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.losses import LOSSES
from sheetgen.maths.penalties import PENALTIES
from sheetgen.options import NETWORK_OPTIONS

DESCRIPTIONS = {
    ".xlsx": "Write a spreadsheet in which a small neural network learns by backpropagation, "
             "one row per training attempt, every cell a live formula.",
    ".pdf": "Print a network's workbook as a class handout (PDF, through headless "
            "LibreOffice): the first attempts, the charts, the data and the notes.",
}


def network_parser(prog: str = "sheetgen network", suffix: str = ".xlsx",
                   where: str | None = None) -> OneLineParser:
    parser = OneLineParser(prog=prog, description=DESCRIPTIONS[suffix])
    for add in (_add_shape, _add_data, _add_batches_and_tests, _add_training):
        add(parser)
    add_closing_options(parser, suffix, where or
                        f"where to write it (default output/{DEFAULT_NAME}{suffix}, or "
                        f"the preset's name, such as output/xor_training{suffix}; "
                        f"an optimizer other than gd adds its name: "
                        f"output/xor_training_adam{suffix})")
    return parser


def _add_shape(parser: OneLineParser) -> None:
    """The preset, and the network's shape."""
    parser.add_argument("--preset", choices=sorted(NETWORK_PRESETS),
                        help="xor: a 2-2-1 tanh network that learns XOR (rate 0.5, or 0.1 "
                             "with momentum, 0.005 with RMSProp, 0.05 with Adam; 3,000 "
                             "attempts, loss threshold 1e-4); iris: Fisher's flowers, "
                             "standardised, on a 4-4-3 tanh/softmax network with the "
                             "cross-entropy (rate 1, 200 attempts, loss threshold 0.05); "
                             "overfit: a 2-6-6-1 network on 20 of 40 noisy points of two "
                             "classes, the other 20 held out, whose test loss turns up "
                             "while its training loss falls (rate 0.5, 800 attempts; try "
                             "it with --l2 0.02); circle: the Playground's circle, 100 "
                             "points, on a 2-4-1 tanh/sigmoid network in shuffled batches of "
                             "10 (rate 0.5, 1,000 attempts); spiral: its spiral, 100 points, on "
                             "x1, x2 and their sines and a 4-6-4-1 network in shuffled "
                             "batches of 10 (rate 0.8, 800 attempts); digits: 300 of the "
                             "8×8 handwritten digits, 50 held out, softmax from the 64 pixels "
                             "to the ten digits in shuffled batches of 10 (rate 1, 200 "
                             "attempts); digits-conv: the same digits, 20 held out, through "
                             "two 3x3 filters, 2x2 max pooling and a softmax (rate 0.5, 100 "
                             "attempts); options below override it")
    parser.add_argument("--layers", type=_type("layers"), metavar="N,N,…",
                        help="the layer sizes from the inputs to the outputs (default: what "
                             "the data needs; 2,2,1 for xor, and, or); for pictures, image "
                             "layers first: 8x8,conv4@3x3,maxpool2,10")
    parser.add_argument("--activation", type=_type("activation"), metavar="A[,A…]",
                        help=f"{', '.join(list(ACTIVATIONS)[:-1])} or {list(ACTIVATIONS)[-1]}: "
                             "one for every layer, or one per layer after the inputs "
                             "(default tanh)")


def _add_data(parser: OneLineParser) -> None:
    """The samples, and what the network takes of them."""
    parser.add_argument("--data", type=_type("data"), metavar="SET|FILE.csv|FILE.xlsx",
                        help=f"{', '.join(datasets.NAMES)}, or a CSV file (separated by "
                             "commas, semicolons or tabs) or .xlsx workbook: a header row "
                             "naming the columns, then a sample per row, inputs first and "
                             "targets last: numbers, one column of class labels, or one-hot "
                             "columns named after their classes (default xor)")
    parser.add_argument("--data-sheet", type=_type("data_sheet"), metavar="NAME",
                        help="the sheet of the .xlsx --data file to read (default its first)")
    parser.add_argument("--samples", type=_type("samples"), metavar="N",
                        help=f"how many points a set of the plane ("
                             f"{', '.join(playground.PLANE_SETS)}) has, drawn by --seed; an odd "
                             f"N gives the first class (blue) the extra one (default "
                             f"{playground.DEFAULT_SAMPLES}); how many digits, drawn by --seed "
                             "with the ten balanced (default all 1,797)")
    parser.add_argument("--noise", type=_type("noise"), metavar="P",
                        help=f"the noise of a set of the plane, in percent, 0 to "
                             f"{playground.MOST_NOISE}, blurring where its classes meet "
                             "(default 0)")
    parser.add_argument("--features", type=_type("features"), metavar="F,F,…",
                        help=f"the network's inputs, features of each point (x1, x2) worked "
                             f"out live on the Data sheet: any of {', '.join(FEATURES)}, in "
                             "any order (default x1,x2, the point itself)")
    parser.add_argument("--image", type=_type("image"), metavar="WxH",
                        help="the inputs are a W×H picture's pixels, row by row from the top "
                             "left (the digits are 8x8 already)")
    parser.add_argument("--grid", type=_type("grid"), metavar="G",
                        help=f"the Boundary sheet's grid, G×G points over the data's range, "
                             f"{FEWEST_GRID} to {MOST_GRID} (default {DEFAULT_GRID}); the "
                             "sheet is drawn wherever the samples are points of the plane")
    parser.add_argument("--show-attempt", type=_type("show_attempt"), metavar="N",
                        help="the attempt whose weights the Boundary sheet draws (the named "
                             "cell SHOW_ATTEMPT; default the last)")


def _add_batches_and_tests(parser: OneLineParser) -> None:
    """How the samples are taken, and which are held out."""
    parser.add_argument("--batch", type=_type("batch"), metavar="full|K",
                        help="full: each attempt averages over every sample (default); K: "
                             "each attempt trains on the next K samples, an epoch cut into "
                             "batches of K (the last one smaller where K does not divide "
                             "the samples); 1: one sample at a time, in turn")
    parser.add_argument("--shuffle", action="store_const", const=True,
                        help="each epoch visits the samples in an order of its own, seeded "
                             "by --seed and written on the Data sheet, where typing another "
                             "order retrains the sheet (with --batch K or 1)")
    held_out = parser.add_mutually_exclusive_group()
    held_out.add_argument("--test-fraction", type=_type("test_fraction"), metavar="F",
                          help="hold out this share of the samples (above 0, below 1, "
                               "rounded up), chosen by --seed, as a test set never trained "
                               "on: each row computes its loss (and accuracy) with the row's "
                               "weights, charted beside the training's")
    held_out.add_argument("--test", type=_type("test"), metavar="SET|FILE.csv|FILE.xlsx",
                          help="a test set of its own, in the forms of --data, with the "
                               "data's inputs and targets (and classes)")
    parser.add_argument("--test-sheet", type=_type("test_sheet"), metavar="NAME",
                        help="the sheet of the .xlsx --test file to read (default its first)")


def _add_training(parser: OneLineParser) -> None:
    """The loss, the start, and how the weights step."""
    parser.add_argument("--loss", choices=tuple(LOSSES),
                        help="mse: half the squared error (default); cross-entropy: for "
                             "classes, with a sigmoid or softmax output layer")
    parser.add_argument("--standardize", action=argparse.BooleanOptionalAction,
                        help="feed the network each input standardised, (x − mean) / standard "
                             "deviation, worked out live on the Data sheet (default: on for "
                             "iris, off otherwise)")
    parser.add_argument("--learning-rate", type=_type("learning_rate"), metavar="X",
                        help="how far each update steps against the gradient (A2; default 0.1)")
    parser.add_argument("--attempts", type=_type("attempts"), metavar="N",
                        help="training attempts, one row each (default 1000)")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--seed", type=_type("seed"), metavar="N",
                       help="seed of the random initial weights and biases (default 0)")
    start.add_argument("--init", type=_type("init"), metavar="FILE.json",
                       help='the initial weights and biases: {"layers": [{"weights": [[…]], '
                            '"biases": […]}, …]}, weights[j][i] into neuron j from i')
    parser.add_argument("--loss-threshold", type=_type("loss_threshold"), metavar="X",
                        help="a loss below this counts as learned, in the summary "
                             "(A5; default 1e-12)")
    for name, penalty in PENALTIES.items():
        parser.add_argument(f"--{name}", type=_type(name), metavar="λ",
                            help=f"penalise the weights (not the biases) by {penalty.words}, "
                                 f"which adds {penalty.slope_words} to each weight's gradient "
                                 f"(the named cell {penalty.cell}; 0 keeps the penalty in the "
                                 "sheet, switched off)")
    parser.add_argument("--lr-decay", type=_type("lr_decay"), metavar="γ",
                        help="multiply the learning rate by γ (above 0, at most 1) every N "
                             "attempts, in a Rate column (the named cell LR_DECAY)")
    parser.add_argument("--lr-decay-every", type=_type("lr_decay_every"), metavar="N",
                        help="the N of --lr-decay, in attempts (the named cell "
                             "LR_DECAY_EVERY; default 100)")


def _type(name: str):
    return typed(NETWORK_OPTIONS[name].parse)


def network(argv: list[str]) -> int:
    return write(api.network, network_parser().parse_args(argv))


def network_handout(argv: list[str]) -> int:
    chosen = network_parser("sheetgen handout network", ".pdf").parse_args(argv)
    return print_handout(api.network_handout, chosen)
