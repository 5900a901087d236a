"""The presets and defaults of the article's neuron and of a network, what a choice of preset
and options comes to, and the names their files get in output/ unless told otherwise."""

from dataclasses import dataclass, replace

from sheetgen.inputs.layer_text import layer_sizes
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.optimizers import GRADIENT_DESCENT

NEURON_PRESETS = {
    "article": (Parameters(), "single_neuron_training"),
    "rust": (Parameters(learning_rate=0.01, attempts=100_001), "rust_demo_training"),
}
"""Each preset's parameters, and the name its files get in output/ unless -o says otherwise."""
NEURON_PRESET = "article"
NEURON_FIELDS = ("learning_rate", "attempts", "input", "target_factor", "weight", "bias",
                 "loss_threshold")


@dataclass(frozen=True)
class Preset:
    options: dict
    name: str
    """The file it writes in output/ unless -o says otherwise."""
    rates: dict[str, float]
    """A learning rate for each optimizer with which the run converges: RMSProp and Adam take
    steps of about the rate whatever the gradient, momentum's grow to about ten times it."""


DEFAULT_NAME = "network_training"
NETWORK_PRESETS = {
    "xor": Preset({"data": "xor", "layers": (2, 2, 1), "activation": ("tanh",),
                   "batch": None, "seed": 0, "attempts": 3000, "loss_threshold": 1e-4},
                  "xor_training", {"gd": 0.5, "momentum": 0.1, "rmsprop": 0.005, "adam": 0.05}),
    # Fisher's flowers, standardised, on a 4-4-3 tanh/softmax network: 147 of the 150 are
    # classified right after 200 attempts, and the loss is below 0.05 from attempt 159. Its
    # full batch is too wide for the Optimizers sheet; the other rates are for --batch 1.
    "iris": Preset({"data": "iris", "layers": (4, 4, 3), "activation": ("tanh", "softmax"),
                    "loss": "cross-entropy", "batch": None, "seed": 0, "attempts": 200,
                    "loss_threshold": 0.05},
                   "iris_training", {"gd": 1.0, "momentum": 0.02, "rmsprop": 0.005,
                                     "adam": 0.01}),
    # Over-fitting, to watch: 20 of the Playground's noisy gauss points held out, a 2-6-6-1
    # network fits the other 20 exactly (training loss 0.002 at attempt 800), and its test
    # loss, lowest at attempt 68, rises from 0.30 to 0.71; with --l2 0.02 it stays at 0.23.
    "overfit": Preset({"data": "gauss", "samples": 40, "noise": 50, "layers": (2, 6, 6, 1),
                       "activation": ("tanh", "tanh", "sigmoid"), "loss": "cross-entropy",
                       "batch": None, "seed": 0, "attempts": 800, "loss_threshold": 0.01,
                       "test_fraction": 0.5},
                      "overfit_training", {"gd": 0.5, "momentum": 0.05, "rmsprop": 0.005,
                                           "adam": 0.01}),
    # The TensorFlow Playground's circle on the raw coordinates: four tanh neurons each draw a
    # line, and the sigmoid output joins them into a closed boundary round the blue points,
    # in shuffled batches of 10 as the Playground trains (the loss below 0.05 from attempt 375).
    "circle": Preset({"data": "circle", "samples": 100, "layers": (2, 4, 1),
                      "activation": ("tanh", "sigmoid"), "loss": "cross-entropy", "batch": 10,
                      "shuffle": True, "seed": 0, "attempts": 1000, "loss_threshold": 0.05},
                     "circle_training", {"gd": 0.5, "momentum": 0.05, "rmsprop": 0.03,
                                         "adam": 0.03}),
    # The spiral, which the coordinates alone leave a small network no hope with: their sines
    # beside them, on hidden layers of six and four, in shuffled batches of 10 (the loss below
    # 0.05 from attempt 508; 99 of the 100 points right at the end, and 989 of 1,000 fresh
    # points of the spiral). 800 attempts keep a typed rate's recalculation within 2 s.
    "spiral": Preset({"data": "spiral", "samples": 100,
                      "features": ("x1", "x2", "sin(x1)", "sin(x2)"),
                      "layers": (4, 6, 4, 1), "activation": ("tanh", "tanh", "sigmoid"),
                      "loss": "cross-entropy", "batch": 10, "shuffle": True, "seed": 0,
                      "attempts": 800, "loss_threshold": 0.05},
                     "spiral_training", {"gd": 0.8, "momentum": 0.05, "rmsprop": 0.02,
                                         "adam": 0.02}),
    # Handwritten digits: 300 of the 8×8 pictures, the ten digits balanced, 50 of them held
    # out; softmax straight from the 64 pixels to the ten classes, so that each class's
    # weights form a picture of what it looks for, in shuffled batches of 10. After 200
    # attempts 47 of the 50 held-out pictures are read right (and 245 of the 250 training
    # ones), and LibreOffice recomputes a typed rate in about 5 s. The Optimizers sheet's
    # four copies of its row would not fit a sheet; the other rates are what reach 94%
    # held out with --optimizer on its own (measured with the reference).
    "digits": Preset({"data": "digits", "samples": 300, "test_fraction": 1 / 6,
                      "layers": (64, 10), "activation": ("softmax",), "loss": "cross-entropy",
                      "batch": 10, "shuffle": True, "seed": 0, "attempts": 200,
                      "loss_threshold": 0.05},
                     "digits_training", {"gd": 1.0, "momentum": 0.2, "rmsprop": 0.03,
                                         "adam": 0.05}),
    # The same digits through a convolution: two 3×3 filters (tanh) slide over the picture,
    # 2×2 max pooling halves their maps, and a softmax reads the ten digits from the 18
    # pooled values: 210 parameters against the dense preset's 650. Each held-out picture's
    # forward pass fills a row's columns, and every row recomputes them, so 20 are held out,
    # not 50, and 100 attempts (a million cells) keep LibreOffice's recalculation short.
    # After 100 attempts 19 of the 20 are read right (18 from attempt 50 on). The other
    # rates reach 90-93% of 30 held out with --optimizer on its own (measured with the
    # reference).
    "digits-conv": Preset({"data": "digits", "samples": 300, "test_fraction": 1 / 15,
                           "layers": layer_sizes("8x8,conv2@3x3,maxpool2,10"),
                           "activation": ("tanh", "softmax"), "loss": "cross-entropy",
                           "batch": 10, "shuffle": True, "seed": 0, "attempts": 100,
                           "learning_rate": 0.5, "loss_threshold": 0.05},
                          "digits_conv_training", {"gd": 0.5, "momentum": 0.1,
                                                   "rmsprop": 0.02, "adam": 0.05}),
}
DEFAULTS = {"data": "xor", "activation": ("tanh",), "batch": None, "seed": 0,
            "learning_rate": 0.1, "attempts": 1000, "loss_threshold": 1e-12, "loss": "mse",
            "standardize": False}
STANDARDIZED_SETS = ("iris",)
"""The built-in sets whose inputs a network sees standardised unless told otherwise: the
flowers' measurements run from a few tenths of a centimetre to several."""
NETWORK_FIELDS = (*DEFAULTS, "layers", "init", "data_sheet", "l2", "l1", "lr_decay",
                  "lr_decay_every", "shuffle", "test_fraction", "test", "test_sheet",
                  "samples", "noise", "features", "image", "grid", "show_attempt")


def neuron_parameters(preset: str, given: dict) -> Parameters:
    """The preset's parameters, with those `given` (by field) in their place."""
    return replace(NEURON_PRESETS[preset][0],
                   **{name: value for name, value in given.items() if name in NEURON_FIELDS})


def network_values(preset: str | None, optimizer: str, given: dict) -> dict:
    """The defaults, then the preset (at its rate for `optimizer`), then the values `given`;
    an init file or structure replaces the seed, a test set given replaces the preset's."""
    values = dict(DEFAULTS)
    if preset:
        chosen = NETWORK_PRESETS[preset]
        values.update(chosen.options, learning_rate=chosen.rates[optimizer])
    values.update({name: value for name, value in given.items() if name in NETWORK_FIELDS})
    if "standardize" not in given:
        values["standardize"] = values["standardize"] or values["data"] in STANDARDIZED_SETS
    if "init" in given:
        values.pop("seed")
    for chosen, other in (("test", "test_fraction"), ("test_fraction", "test")):
        if chosen in given and other not in given:   # the preset's test set makes way
            values.pop(other, None)
    return values


def compared_rates(preset: str | None, given: dict) -> dict[tuple[str, str], float]:
    """The Optimizers sheet's learning rates: the preset's for each optimizer, unless a rate is
    given (then every block starts from it)."""
    if preset is None or "learning_rate" in given:
        return {}
    return {(name, "LEARNING_RATE"): rate for name, rate in NETWORK_PRESETS[preset].rates.items()}


def network_name(preset: str | None) -> str:
    return NETWORK_PRESETS[preset].name if preset else DEFAULT_NAME


def with_choices(name: str, optimizer: str, gradient_step: float | None,
                 other_loss: str | None = None, extras: tuple[str, ...] = ()) -> str:
    """A file's name in output/, with the loss's added where it is not the preset's (or the
    default's), the `extras` that add columns (l2, l1, lr_decay), the optimizer's where it is
    not plain gradient descent, and _gradient_check with the check's columns, so that the
    plain workbook is never overwritten by another."""
    if other_loss:
        name = f"{name}_{other_loss.replace('-', '_')}"
    for extra in extras:
        name = f"{name}_{extra}"
    if optimizer != GRADIENT_DESCENT.name:
        name = f"{name}_{optimizer}"
    return name if gradient_step is None else f"{name}_gradient_check"
