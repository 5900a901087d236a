"""`sheetgen network`: the options that choose a network, its data and its start, turned into a
reference `Run`, or refused in one line."""

import argparse
from dataclasses import dataclass
from pathlib import Path

from sheetgen.arguments import OneLineParser
from sheetgen.errors import InputError as DataError
from sheetgen.gradient_check_option import add_gradient_check_option
from sheetgen.inputs.csv_samples import default_layers_for_csv, read_csv
from sheetgen.inputs.init_file import read_init
from sheetgen.maths import datasets
from sheetgen.maths.network import ACTIVATIONS, FULL_BATCH, ONE_SAMPLE, Network, Run, Sample
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.optimizer_options import add_optimizer_options, optimizer_settings
from sheetgen.sheets.fit import fitting_sheet


@dataclass(frozen=True)
class Preset:
    options: dict
    name: str
    """The file it writes in output/ unless -o says otherwise."""
    rates: dict[str, float]
    """A learning rate for each optimizer with which the run converges: RMSProp and Adam take
    steps of about the rate whatever the gradient, momentum's grow to about ten times it."""


DEFAULT_NAME = "network_training"
PRESETS = {
    "xor": Preset({"data": "xor", "layers": (2, 2, 1), "activation": ("tanh",),
                   "batch": FULL_BATCH, "seed": 0, "attempts": 3000, "loss_threshold": 1e-4},
                  "xor_training", {"gd": 0.5, "momentum": 0.1, "rmsprop": 0.005, "adam": 0.05}),
}
DEFAULTS = {"data": "xor", "activation": ("tanh",), "batch": FULL_BATCH, "seed": 0,
            "learning_rate": 0.1, "attempts": 1000, "loss_threshold": 1e-12}


def layer_sizes(text: str) -> tuple[int, ...]:
    parts = text.split(",")
    try:
        sizes = tuple(int(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be whole numbers separated by commas, such as 2,2,1, not {text!r}") from None
    if len(sizes) < 2:
        raise argparse.ArgumentTypeError(
            f"needs at least two sizes, the inputs and the outputs, not {text!r}")
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"every layer needs at least 1 neuron, not {text!r}")
    return sizes


def activation_names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip().lower() for name in text.split(","))
    for name in names:
        if name not in ACTIVATIONS:
            raise argparse.ArgumentTypeError(
                f"{name!r} is not an activation; choose from {', '.join(ACTIVATIONS)}")
    return names


def data_source(text: str) -> str | Path:
    if text in datasets.BUILT_IN:
        return text
    if Path(text).suffix.lower() == ".csv":
        return Path(text)
    raise argparse.ArgumentTypeError(
        f"must be one of {', '.join(datasets.BUILT_IN)} or a .csv file, not {text!r}")


def seed_number(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError(f"must be between 0 and {2**32 - 1}, not {text}")
    return seed


def add_network_options(parser: OneLineParser, number_for, attempt_count, path_ending,
                        suffix: str) -> None:
    parser.add_argument("--preset", choices=sorted(PRESETS),
                        help="xor: a 2-2-1 tanh network that learns XOR (rate 0.5, or 0.1 "
                             "with momentum, 0.005 with RMSProp, 0.05 with Adam; 3,000 "
                             "attempts, loss threshold 1e-4); options below override it")
    parser.add_argument("--layers", type=layer_sizes, metavar="N,N,…",
                        help="the layer sizes from the inputs to the outputs (default: what "
                             "the data needs; 2,2,1 for xor, and, or)")
    parser.add_argument("--activation", type=activation_names, metavar="A[,A…]",
                        help="tanh, sigmoid, relu or linear: one for every layer, or one per "
                             "layer after the inputs (default tanh)")
    parser.add_argument("--data", type=data_source, metavar="SET|FILE.csv",
                        help="article, xor, and, or, line, or a CSV file: a header row, then "
                             "a sample per row, inputs first and targets last (default xor)")
    parser.add_argument("--batch", choices=(FULL_BATCH, ONE_SAMPLE),
                        help="full: each attempt averages over every sample (default); 1: "
                             "each attempt trains on one sample, in turn")
    parser.add_argument("--learning-rate", type=number_for("learning_rate"), metavar="X",
                        help="how far each update steps against the gradient (A2; default 0.1)")
    parser.add_argument("--attempts", type=attempt_count, metavar="N",
                        help="training attempts, one row each (default 1000)")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--seed", type=seed_number, metavar="N",
                       help="seed of the random initial weights and biases (default 0)")
    start.add_argument("--init", type=path_ending(".json"), metavar="FILE.json",
                       help='the initial weights and biases: {"layers": [{"weights": [[…]], '
                            '"biases": […]}, …]}, weights[j][i] into neuron j from i')
    parser.add_argument("--loss-threshold", type=number_for("loss_threshold"), metavar="X",
                        help="a loss below this counts as learned, in the summary "
                             "(A5; default 1e-12)")
    add_optimizer_options(parser)
    add_gradient_check_option(parser)
    parser.add_argument("-o", "--output", type=path_ending(suffix), metavar="FILE",
                        help=f"where to write it (default output/{DEFAULT_NAME}{suffix}, or "
                             f"the preset's name, such as output/xor_training{suffix}; "
                             f"an optimizer other than gd adds its name: "
                             f"output/xor_training_adam{suffix})")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def chosen(options: argparse.Namespace) -> dict:
    """The defaults, then the preset, then the options given."""
    values = dict(DEFAULTS)
    if options.preset:
        preset = PRESETS[options.preset]
        values.update(preset.options, learning_rate=preset.rates[options.optimizer])
    values.update({name: value for name, value in vars(options).items()
                   if value is not None and name in {*DEFAULTS, "layers", "init"}})
    if options.init is not None:
        values.pop("seed")
    return values


def compared_rates(options: argparse.Namespace) -> dict[str, float]:
    """The Optimizers sheet's learning rates: the preset's for each optimizer, unless a rate is
    given (then every block starts from it)."""
    if options.preset is None or options.learning_rate is not None:
        return {}
    return {f"{name} LEARNING_RATE": rate for name, rate in PRESETS[options.preset].rates.items()}


def output_name(options: argparse.Namespace) -> str:
    return PRESETS[options.preset].name if options.preset else DEFAULT_NAME


def with_choices(name: str, options: argparse.Namespace) -> str:
    """A file's name in output/, with the optimizer's added where it is not plain gradient
    descent, and _gradient_check with the check's columns, so that the plain workbook is
    never overwritten by another."""
    if options.optimizer != GRADIENT_DESCENT.name:
        name = f"{name}_{options.optimizer}"
    return name if options.gradient_step is None else f"{name}_gradient_check"


def article_run(parameters: Parameters, options: argparse.Namespace) -> Run:
    """The article's neuron as a 1-1 tanh network, for an optimizer or a gradient check the
    article's own sheet does not have: the same maths (operation for operation, as the tests
    prove), written by the network machinery with those columns."""
    return Run(Network((1, 1), ("tanh",)), (Sample((parameters.input,), (parameters.target,)),),
               (((parameters.weight,),),), ((parameters.bias,),), parameters.learning_rate,
               parameters.attempts, FULL_BATCH, parameters.loss_threshold, options.optimizer,
               optimizer_settings(options), options.gradient_step)


def run_from(options: argparse.Namespace) -> Run:
    """The run the options describe; refuses, with a DataError, what cannot make a sheet."""
    values = chosen(options)
    data = values["data"]
    if isinstance(data, Path):
        sizes = values.get("layers") or default_layers_for_csv(data)
        samples = read_csv(data, sizes[0], sizes[-1])
    else:
        sizes = values.get("layers") or datasets.DEFAULT_LAYERS[data]
        samples = datasets.BUILT_IN[data]
        given = (len(samples[0].inputs), len(samples[0].targets))
        if given != (sizes[0], sizes[-1]):
            raise DataError(f"the {data} data set has {given[0]} input(s) and {given[1]} "
                            f"target(s); --layers {','.join(map(str, sizes))} needs "
                            f"{sizes[0]} and {sizes[-1]}")
    activations = values["activation"]
    layers = len(sizes) - 1
    if len(activations) == 1:
        activations = activations * layers
    elif len(activations) != layers:
        raise DataError(f"--activation gives {len(activations)} activations for {layers} "
                        f"layer(s) after the inputs; give one, or one per layer")
    network = Network(sizes, activations)
    if "init" in values:
        weights, biases = read_init(values["init"], sizes)
    else:
        weights, biases = (datasets.article_start(sizes, data if isinstance(data, str) else "")
                           or datasets.seeded(sizes, values["seed"]))
    run = Run(network, samples, weights, biases, values["learning_rate"], values["attempts"],
              values["batch"], values["loss_threshold"], options.optimizer,
              optimizer_settings(options), options.gradient_step)
    fitting_sheet(run)
    return run
