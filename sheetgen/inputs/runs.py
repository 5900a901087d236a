"""The reference run that chosen values describe: the network, its samples (a built-in set, a
CSV or .xlsx file or pairs given in Python) and their classes, and its start (the article's, an
init file or structure, or a seed); or the article's neuron as a 1-1 network. Refuses, with an
`InputError`, values that do not fit together."""

from pathlib import Path
from typing import NamedTuple

from sheetgen.errors import InputError
from sheetgen.inputs.data_files import Data, read_data
from sheetgen.inputs.digits import SIDE as DIGIT_SIDE, digit_samples
from sheetgen.inputs.init_file import init_from, read_init
from sheetgen.maths import classification, datasets, playground, scaling
from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.network import Run, featured_samples
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.optimizers import HYPERPARAMETERS, OPTIMIZERS
from sheetgen.maths.shape import Network, Sample
from sheetgen.maths.pool import POOLING_ACTIVATION
from sheetgen.maths.stack import ImageLayers



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
    reading = _reading(values)
    features = values.get("features", ())
    named = values.get("layers") if isinstance(values.get("layers"), ImageLayers) else None
    typed = (named.pixels, *named.dense) if named else values.get("layers")
    if named and features:
        raise InputError("argument --layers: image layers take pictures, not --features of "
                         "a point of the plane")
    sizes, samples, classes, names = _data(values["data"], values.get("data_sheet"),
                                           _typed_layers(typed, features), reading,
                                           shown=str(named) if named else None)
    samples, tests = _held_out(values, sizes, samples, classes, reading)
    if features:
        sizes = _featured(values["data"], sizes, features)
    image = _image(values, sizes[0])
    sizes, stack = _built(named, image) if named else (sizes, ())
    activations = activations_for(values["activation"], len(sizes) - 1, stack)
    network = Network(sizes, activations, classification.output_names(classes, sizes[-1]),
                      features, names, image, stack)
    problem = classification.refusal(network, values["loss"], samples + tests) or (
        scaling.refusal(network, featured_samples(network, samples))
        if values["standardize"] else None)
    if problem:
        raise InputError(problem)
    weights, biases = _start(values, network, str(named or ""))
    batch = values["batch"]
    if batch is not None and batch > len(samples):
        kept = "training samples left once the test samples are held out" if tests else \
            "samples"
        raise InputError(f"argument --batch: {batch} is more than the data's {len(samples)} "
                         f"{kept} (full trains on all of them)")
    if "lr_decay_every" in values and "lr_decay" not in values:
        raise InputError("argument --lr-decay-every: needs --lr-decay, the γ the rate is "
                         "multiplied by")
    decay = {name: values[name] for name in ("lr_decay", "lr_decay_every") if name in values}
    orders = _orders(values, len(samples), batch) if values.get("shuffle") else ()
    return Run(network, samples, weights, biases,
               learning_rate=values["learning_rate"], attempts=values["attempts"],
               batch=values["batch"], loss_threshold=values["loss_threshold"],
               optimizer=optimizer, settings=optimizer_settings(optimizer, hyperparameters),
               gradient_step=gradient_step, loss=values["loss"],
               standardize=values["standardize"], classes=classes,
               l2=values.get("l2"), l1=values.get("l1"), orders=orders, tests=tests, **decay)


class Reading(NamedTuple):
    """How samples are read or made: a file's last column as class labels (`labels`), each
    class's absence as the target `low`; a drawn set's `count` samples (digits, or points of
    the plane at `noise` percent), drawn for `seed`."""

    labels: bool
    low: float
    count: int | None
    """None for the set's own number: every digit, or the Playground's default."""
    noise: float
    seed: int


def _reading(values: dict) -> Reading:
    """How the run's samples are read or made; refuses --samples or --noise for data that
    is not one of the Playground's sets of the plane."""
    output = ACTIVATIONS[values["activation"][-1]]
    named = [name for name in (values["data"], values.get("test")) if isinstance(name, str)]
    for option, sets, words in (("samples", datasets.DRAWN, "the digits and the Playground's "
                                 "sets of the plane"),
                                ("noise", playground.PLANE_SETS, "the Playground's sets of "
                                 "the plane")):
        if option in values and not set(named) & set(sets):
            raise InputError(f"argument --{option}: is for {words} ({', '.join(sets)}), and "
                             f"the data is {_named(values['data'])}")
    return Reading(not output.elementwise, output.low, values.get("samples"),
                   values.get("noise", 0), values.get("seed", 0))


def _image(values: dict, inputs: int) -> tuple[int, int] | None:
    """The picture the inputs are: --image's, or the digits' 8×8; refuses one that is not
    the inputs, or that would be features of a point of the plane."""
    image = values.get("image")
    if image is None:
        return (DIGIT_SIDE, DIGIT_SIDE) if values["data"] == datasets.DIGITS else None
    width, height = image
    if values.get("features"):
        raise InputError("argument --image: not allowed with argument --features, whose "
                         "inputs are features of a point of the plane, not pixels")
    if width * height != inputs:
        raise InputError(f"argument --image: {width}×{height} is {width * height:,} pixels, "
                         f"and the data's samples have {inputs:,} inputs")
    return image


def _typed_layers(layers: tuple[int, ...] | None, features: tuple[str, ...]
                  ) -> tuple[int, ...] | None:
    """The layer sizes the samples as typed must fit: with features, the point's two
    coordinates in place of the network's inputs, which must be one per feature."""
    if not (features and layers):
        return layers
    if layers[0] != len(features):
        raise InputError(f"argument --layers: {','.join(map(str, layers))} takes "
                         f"{layers[0]} input(s), and --features gives {len(features)}")
    return (2, *layers[1:])


def _featured(data, sizes: tuple[int, ...], features: tuple[str, ...]) -> tuple[int, ...]:
    """The layer sizes of a network that takes `features` of the data's points; refuses
    data whose samples are not points of the plane."""
    if sizes[0] != 2:
        raise InputError(f"argument --features: takes features of a point of the plane, "
                         f"(x1, x2), and the {_named(data)} data's samples have "
                         f"{sizes[0]} input(s)")
    return (len(features), *sizes[1:])


def _held_out(values: dict, sizes: tuple[int, ...], samples: tuple[Sample, ...],
              classes: tuple[str, ...], reading: Reading
              ) -> tuple[tuple[Sample, ...], tuple[Sample, ...]]:
    """The training samples and the test samples: a seeded share of the data held out
    (`datasets.held_out`; the seed is the initial weights'), or a test set of its own, which
    fits the network as the data does and names the same classes; no test samples else."""
    fraction, test, sheet = (values.get(name) for name in ("test_fraction", "test",
                                                            "test_sheet"))
    if fraction is not None and test is not None:
        raise InputError("argument --test: not allowed with argument --test-fraction")
    if test is None and sheet is not None:
        raise InputError("argument --test-sheet: names a sheet of --test FILE.xlsx, and no "
                         "test file is given")
    if fraction is None:
        return samples, () if test is None else _test_set(test, sheet, sizes, reading,
                                                          classes)
    chosen = datasets.held_out(len(samples), fraction, values.get("seed", 0))
    if len(chosen) in (0, len(samples)):
        raise InputError(f"argument --test-fraction: {fraction:g} of the {len(samples)} "
                         "samples holds " + ("none out, and leaves nothing to test on"
                                             if not chosen else
                                             "every one out, and leaves none to train on"))
    out = set(chosen)
    return (tuple(s for n, s in enumerate(samples, start=1) if n not in out),
            tuple(samples[n - 1] for n in chosen))


def _orders(values: dict, samples: int, batch: int | None) -> tuple[tuple[int, ...], ...]:
    """A seeded order of the samples for each epoch of the run (see `datasets.shuffled_orders`;
    the seed is the initial weights', 0 with an init file)."""
    if batch is None or batch == samples:
        raise InputError(f"argument --shuffle: a full batch trains on all {samples} samples "
                         "at once, in no order: give --batch K, fewer than the samples")
    batches = -(-samples // batch)
    return datasets.shuffled_orders(samples, -(-values["attempts"] // batches),
                                    values.get("seed", 0))


def _test_set(test: str | Path | tuple[Sample, ...], sheet: str | None,
              sizes: tuple[int, ...], reading: Reading, classes: tuple[str, ...]
              ) -> tuple[Sample, ...]:
    """The samples of a test set of its own, which fits the network and names the data's
    classes: a file's labels are read as the data's (see `data_files`), and a built-in set
    must have the data's classes in the same order."""
    found = _data(test, sheet, sizes, reading, classes, "--test")
    if isinstance(test, str) and found.classes != classes:
        raise InputError(f"argument --test: the {test} data set's classes are "
                         f"{', '.join(found.classes) or 'none'}, and the data's are "
                         f"{', '.join(classes) or 'none'}")
    return found.samples


def _data(data: str | Path | tuple[Sample, ...], sheet: str | None,
          layers: tuple[int, ...] | None, reading: Reading, classes: tuple[str, ...] = (),
          flag: str = "--data", shown: str | None = None) -> Data:
    """The layer sizes (as given, or what the data needs), the samples and their classes,
    read or made as `reading` says (see `data_files`), of the `classes` where they are known
    already (the test set's, given by `flag`, are the data's); `shown` is --layers as typed
    where it names image layers."""
    if sheet is not None and not (isinstance(data, Path) and data.suffix.lower() == ".xlsx"):
        raise InputError(f"argument {flag}-sheet: names a sheet of {flag} FILE.xlsx, and "
                         f"the {flag.removeprefix('--')} is {_named(data)}")
    if isinstance(data, Path):
        try:
            return read_data(data, sheet, layers, reading.labels, classes, reading.low)
        except InputError as error:
            if flag == "--data":
                raise
            raise InputError(f"argument {flag}: {error}") from None
    if isinstance(data, str):
        sizes = layers or datasets.DEFAULT_LAYERS[data]
        name, samples = data, _built_in(data, sizes, reading, flag == "--test")
    else:
        name, samples = "given", data
        sizes = layers or (len(samples[0].inputs), len(samples[0].targets))
    given = (len(samples[0].inputs), len(samples[0].targets))
    if given != (sizes[0], sizes[-1]):
        problem = f"the {name} data set has {given[0]} input(s) and {given[1]} target(s)"
        if flag == "--data":
            raise InputError(f"{problem}; --layers {shown or ','.join(map(str, sizes))} needs "
                             f"{sizes[0]} and {sizes[-1]}")
        raise InputError(f"argument {flag}: {problem}, and the data's samples have "
                         f"{sizes[0]} and {sizes[-1]}")
    return Data(sizes, samples, datasets.CLASSES.get(name, ()))


def _built_in(name: str, sizes: tuple[int, ...], reading: Reading,
              test: bool) -> tuple[Sample, ...]:
    """A built-in set's samples: fixed, or drawn for the seed (a test set's, with `test`)."""
    if name == datasets.DIGITS:
        return digit_samples(reading.count, reading.seed, reading.low, test)
    return datasets.BUILT_IN.get(name) or datasets.plane_samples(
        name, reading.count or playground.DEFAULT_SAMPLES, reading.noise, reading.seed,
        sizes[-1], reading.low, test)


def _named(data: str | Path | tuple[Sample, ...]) -> str:
    return data if isinstance(data, str) else data.name if isinstance(data, Path) \
        else "pairs given in Python"


def _start(values: dict, network: Network, shape: str):
    """The initial weights and biases: from the init file or structure, the article's for its
    own network, or seeded."""
    init, sizes, stack = values.get("init"), network.sizes, network.stack
    if isinstance(init, Path):
        return read_init(init, sizes, stack, shape)
    if init is not None:
        return init_from(init, "init", sizes, stack, shape)
    data = values["data"]
    if stack:
        return datasets.seeded_tables([(layer.rows, layer.columns) for layer in network.layers],
                                      values["seed"])
    return (datasets.article_start(sizes, data if isinstance(data, str) else "")
            or datasets.seeded(sizes, values["seed"]))


def _built(named: ImageLayers, image: tuple[int, int] | None) -> tuple[tuple[int, ...], tuple]:
    """The sizes and image layers' records that `--layers` names, over the data's pictures;
    refuses image layers without pictures, or over pictures of another size."""
    if image is None:
        raise InputError(f"argument --layers: {named} has image layers, and the data are not "
                         "pictures: use --data digits, or --image WxH for a file's")
    if image != named.picture:
        raise InputError(f"argument --layers: {named} starts from a {named.picture[0]}x"
                         f"{named.picture[1]} picture, and the data's are {image[0]}x"
                         f"{image[1]}")
    try:
        return named.built()
    except ValueError as error:
        raise InputError(f"argument --layers: {named}: {error}") from None


def activations_for(given: tuple[str, ...], layers: int, stack: tuple) -> tuple[str, ...]:
    """An activation per layer after the inputs: the one given for each, or one per layer
    that has one (a pooling layer has none: its value is its net, `linear`)."""
    pools = [number for number, layer in enumerate(stack) if not layer.activated]
    active = layers - len(pools)
    if len(given) == 1:
        given = given * active
    elif len(given) != active:
        raise InputError(f"--activation gives {len(given)} activations for {active} "
                         f"layer(s) after the inputs{' that have one' if pools else ''}; "
                         "give one, or one per layer")
    activations = list(given)
    for number in pools:
        activations.insert(number, POOLING_ACTIVATION)
    return tuple(activations)


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
