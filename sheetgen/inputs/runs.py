"""The reference run that chosen values describe: the network, its samples (a built-in set, a
CSV file or pairs given in Python) and its start (the article's, an init file or structure, or
a seed); or the article's neuron as a 1-1 network. Refuses, with an `InputError`, values that
do not fit together."""

from pathlib import Path

from sheetgen.errors import InputError
from sheetgen.inputs.csv_samples import default_layers_for_csv, read_csv
from sheetgen.inputs.init_file import init_from, read_init
from sheetgen.maths import classification, datasets
from sheetgen.maths.network import Run
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.optimizers import HYPERPARAMETERS, OPTIMIZERS
from sheetgen.maths.shape import Network, Sample


def optimizer_settings(optimizer: str, given: dict[str, float]) -> dict[str, float]:
    """The optimizer's hyperparameters, by name, with those `given`; refuses one given for an
    optimizer without it."""
    rule = OPTIMIZERS[optimizer]
    for name in given:
        if name not in rule.hyperparameters:
            users = [o.name for o in OPTIMIZERS.values() if name in o.hyperparameters]
            raise InputError(f"{HYPERPARAMETERS[name].option} is for --optimizer "
                             f"{' or '.join(users)}, not {rule.name}")
    return rule.settings(given)


def network_run(values: dict, optimizer: str, hyperparameters: dict[str, float],
                gradient_step: float | None) -> Run:
    """The run of `values` (see `presets.network_values`), with the `hyperparameters` given
    for its optimizer."""
    sizes, samples = _sizes_and_samples(values["data"], values.get("layers"))
    activations = values["activation"]
    layers = len(sizes) - 1
    if len(activations) == 1:
        activations = activations * layers
    elif len(activations) != layers:
        raise InputError(f"--activation gives {len(activations)} activations for {layers} "
                         f"layer(s) after the inputs; give one, or one per layer")
    network = Network(sizes, activations)
    problem = classification.refusal(network, values["loss"], samples)
    if problem:
        raise InputError(problem)
    weights, biases = _start(values, sizes)
    return Run(network, samples, weights, biases,
               learning_rate=values["learning_rate"], attempts=values["attempts"],
               batch=values["batch"], loss_threshold=values["loss_threshold"],
               optimizer=optimizer, settings=optimizer_settings(optimizer, hyperparameters),
               gradient_step=gradient_step, loss=values["loss"])


def _sizes_and_samples(data: str | Path | tuple[Sample, ...], layers: tuple[int, ...] | None):
    """The layer sizes (as given, or what the data needs) and the samples."""
    if isinstance(data, Path):
        sizes = layers or default_layers_for_csv(data)
        return sizes, read_csv(data, sizes[0], sizes[-1])
    if isinstance(data, str):
        name, samples = data, datasets.BUILT_IN[data]
        sizes = layers or datasets.DEFAULT_LAYERS[data]
    else:
        name, samples = "given", data
        sizes = layers or (len(samples[0].inputs), len(samples[0].targets))
    given = (len(samples[0].inputs), len(samples[0].targets))
    if given != (sizes[0], sizes[-1]):
        raise InputError(f"the {name} data set has {given[0]} input(s) and {given[1]} "
                         f"target(s); --layers {','.join(map(str, sizes))} needs "
                         f"{sizes[0]} and {sizes[-1]}")
    return sizes, samples


def _start(values: dict, sizes: tuple[int, ...]):
    """The initial weights and biases: from the init file or structure, the article's for its
    own network, or seeded."""
    init = values.get("init")
    if isinstance(init, Path):
        return read_init(init, sizes)
    if init is not None:
        return init_from(init, "init", sizes)
    data = values["data"]
    return (datasets.article_start(sizes, data if isinstance(data, str) else "")
            or datasets.seeded(sizes, values["seed"]))


def article_run(parameters: Parameters, optimizer: str, hyperparameters: dict[str, float],
                gradient_step: float | None) -> Run:
    """The article's neuron as a 1-1 tanh network, for an optimizer or a gradient check the
    article's own sheet does not have: the same maths (operation for operation, as the tests
    prove), written by the network machinery with those columns."""
    return Run(Network((1, 1), ("tanh",)), (Sample((parameters.input,), (parameters.target,)),),
               (((parameters.weight,),),), ((parameters.bias,),),
               learning_rate=parameters.learning_rate, attempts=parameters.attempts,
               loss_threshold=parameters.loss_threshold, optimizer=optimizer,
               settings=optimizer_settings(optimizer, hyperparameters),
               gradient_step=gradient_step)
