"""Every option's parser, shared by the Python API and the command line: each takes the text
of the command line or a Python value and returns the value a run needs, or refuses it with
an `InputError` whose text is the command line's message after `argument --OPTION: `.

The bounds of a number are those its input cell's validation allows, read from the sheets'
descriptions, so that an option never lets through what the cell would refuse.
"""

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Real
from pathlib import Path

from sheetgen.errors import InputError
from sheetgen.inputs.layer_text import layer_sizes
from sheetgen.inputs.pairs import samples_from_pairs
from sheetgen.inputs.presets import NETWORK_PRESETS, NEURON_PRESETS
from sheetgen.maths import datasets, playground
from sheetgen.maths.features import FEATURES
from sheetgen.maths.losses import LOSSES
from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.optimizers import HYPERPARAMETERS, OPTIMIZERS, Hyperparameter
from sheetgen.sheets import panel
from sheetgen.sheets.boundary import FEWEST_GRID, MOST_GRID
from sheetgen.sheets.columns import MAX_ATTEMPTS, last_row
from sheetgen.sheets.gradient_check import DEFAULT_STEP, step_input
from sheetgen.sheets.network_data import FULL_BATCH
from sheetgen.sheets.network_panel import DECAY_INPUTS, PENALTY_INPUTS, hyperparameter_input

Parse = Callable[[object], object]


def _shown(value: object) -> str:
    """A value as the command line would have had it typed."""
    return value if isinstance(value, str) else os.fspath(value) \
        if isinstance(value, os.PathLike) else repr(value)


def _number(value: object) -> float:
    if isinstance(value, str | Real) and not isinstance(value, bool):
        try:
            return float(value)
        except ValueError:
            pass
    raise InputError(f"must be a number, not {_shown(value)!r}")


def number_for(field: str) -> Parse:
    """A parser for the option that sets the input cell holding `field`, with its bounds."""
    entry = next(entry for entry in panel.INPUTS if entry.field == field)

    def parse(value: object) -> float:
        number = _number(value)
        if not math.isfinite(number):
            raise InputError(f"must be a finite number, not {_shown(value)!r}")
        if not entry.low <= number <= entry.high:
            raise InputError(f"must lie between {_plain(entry.low)} and {_plain(entry.high)}, "
                             f"not {_shown(value)}")
        return number
    return parse


def _plain(bound: float) -> str:
    """A bound as people write it: 1,000,000 rather than 1e+06."""
    return f"{bound:,.0f}" if bound == int(bound) else f"{bound:g}"


def number_within(low: float, high: float, allowed: str) -> Parse:
    """A parser of a finite number from `low` to `high`, as an input cell's validation allows;
    `allowed` says the range in words ("must be above 0 and at most 1")."""
    def parse(value: object) -> float:
        number = _number(value)
        if not (math.isfinite(number) and low <= number <= high):
            raise InputError(f"{allowed}, not {_shown(value)}")
        return number
    return parse


def hyperparameter(chosen: Hyperparameter) -> Parse:
    """A parser for the hyperparameter's option, within the bounds its cell allows."""
    cell = hyperparameter_input(chosen, row=0)
    return number_within(cell.low, cell.high,
                         "must be at least 0 and below 1" if chosen.is_decay else
                         f"must be above 0 (at least {cell.low:g}) and at most "
                         f"{cell.high:,.0f}")


_STEP = step_input(row=0)   # H within the bounds its cell's validation allows
gradient_step = number_within(_STEP.low, _STEP.high,
                              f"must be above 0 (at least {_STEP.low:g}) and at most "
                              f"{_STEP.high:g}")


def gradient_check(value: object) -> float | None:
    """H of the gradient check: True for the default, False or None for none."""
    if value is True:
        return DEFAULT_STEP
    return None if value is None or value is False else gradient_step(value)


def strength(value: object) -> float:
    """λ of a penalty: 0 (the penalty in the sheet, switched off) or more."""
    high = PENALTY_INPUTS["l2"].high
    return number_within(0.0, high, f"must be at least 0 and at most {_plain(high)}")(value)


test_share = number_within(math.nextafter(0.0, 1.0), math.nextafter(1.0, 0.0),
                           "must be above 0 and below 1, the share of the samples held out")


_DECAY, _EVERY = DECAY_INPUTS
rate_decay = number_within(_DECAY.low, _DECAY.high, "must be above 0 and at most 1")


def decay_interval(value: object) -> int:
    """N: every how many attempts the learning rate decays."""
    count = _whole(value)
    if not _EVERY.low <= count <= _EVERY.high:
        raise InputError(f"must be between 1 and {_plain(_EVERY.high)} attempts, not {count:,}")
    return count


def _whole(value: object) -> int:
    """A whole number, from its text or (in Python) a number without a fraction."""
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    elif isinstance(value, Real) and math.isfinite(value) and float(value).is_integer():
        return int(value)
    raise InputError(f"must be a whole number, not {_shown(value)!r}")


def attempt_count(value: object) -> int:
    count = _whole(value)
    if not 1 <= count <= MAX_ATTEMPTS:
        raise InputError(f"must be between 1 and {MAX_ATTEMPTS:,} (rows 3 to "
                         f"{last_row(MAX_ATTEMPTS):,}, the last row an .xlsx sheet has), "
                         f"not {count:,}")
    return count


def seed_number(value: object) -> int:
    seed = _whole(value)
    if not 0 <= seed < 2**32:
        raise InputError(f"must be between 0 and {2**32 - 1}, not {_shown(value)}")
    return seed


def _listed(value: object) -> str:
    """Layer sizes or activations as the command line takes them: a string, or a sequence
    joined with commas."""
    return value if isinstance(value, str) else ",".join(map(str, value)) \
        if isinstance(value, list | tuple) else _shown(value)


def activation_names(value: object) -> tuple[str, ...]:
    names = tuple(name.strip().lower() for name in _listed(value).split(","))
    for name in names:
        if name not in ACTIVATIONS:
            raise InputError(f"{name!r} is not an activation; choose from "
                             f"{', '.join(ACTIVATIONS)}")
    return names


def data_source(value: object):
    """A built-in set's name, a CSV or .xlsx file's path, or (in Python) a list of (inputs,
    targets) pairs, which become samples."""
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if text in datasets.NAMES:
            return text
        if Path(text).suffix.lower() in (".csv", ".xlsx"):
            return Path(text)
        raise InputError(f"must be one of {', '.join(datasets.NAMES)} or a .csv or .xlsx "
                         f"file, not {text!r}")
    return samples_from_pairs(value)


def image_size(value: object) -> tuple[int, int]:
    """A picture's width and height in pixels: `5x7` (or 5×7), or (5, 7) in Python."""
    parts = value.lower().replace("×", "x").split("x") if isinstance(value, str) else value
    try:
        width, height = (_whole(part) for part in parts)
    except (InputError, TypeError, ValueError):
        raise InputError(f"must be W×H, a picture's width and height in pixels like 8x8, not "
                         f"{value!r}") from None
    if not (width >= 1 and height >= 1):
        raise InputError(f"must be at least 1 pixel each way, not {value!r}")
    return width, height


def sample_count(value: object) -> int:
    """How many points a set of the plane has: from a few to as many as a sheet takes."""
    count = _whole(value)
    if not playground.FEWEST_SAMPLES <= count <= datasets.MAX_SAMPLES:
        raise InputError(f"must be from {playground.FEWEST_SAMPLES} to "
                         f"{datasets.MAX_SAMPLES:,} samples, not {_shown(value)}")
    return count


def grid_size(value: object) -> int:
    """How many points the Boundary sheet's grid has each way."""
    size = _whole(value)
    if not FEWEST_GRID <= size <= MOST_GRID:
        raise InputError(f"must be from {FEWEST_GRID} to {MOST_GRID} points each way, not "
                         f"{_shown(value)}")
    return size


def shown_attempt(value: object) -> int:
    """The attempt the Boundary sheet shows, from 1 (the run's attempts are the most, which
    `api` checks)."""
    number = _whole(value)
    if number < 1:
        raise InputError(f"must be an attempt, from 1, not {_shown(value)}")
    return number


def feature_names(value: object) -> tuple[str, ...]:
    """Features of the plane, each once, in the order given."""
    names = tuple(name.strip().lower() for name in _listed(value).split(","))
    for k, name in enumerate(names):
        if name not in FEATURES:
            raise InputError(f"{name!r} is not a feature; choose from {', '.join(FEATURES)}")
        if name in names[:k]:
            raise InputError(f"lists {name} twice; give each feature once")
    return names


def blank_names(value: object) -> tuple[str, ...]:
    """Column headers or stages to leave blank, as the sheet shows them, each once; which of
    them the sheet has is for `sheets.exercise` to say."""
    # A map value's header has a comma of its own, inside brackets: m1[2,3] net.
    names = tuple(name.strip() for name in re.split(r",(?![^\[]*\])", _listed(value)))
    if not all(names):
        raise InputError(f"must list column headers or stages separated by commas, not "
                         f"{_shown(value)!r}")
    return tuple(dict.fromkeys(names))


MOST_FIGURES = 15
"""The significant figures a double holds, all of them."""


def figures(value: object) -> int:
    """Significant figures a typed number must agree to, 1 to 15."""
    count = _whole(value)
    if not 1 <= count <= MOST_FIGURES:
        raise InputError(f"must be 1 to {MOST_FIGURES} significant figures, not {count:,}")
    return count


def row_count(value: object) -> int:
    count = _whole(value)
    if count < 1:
        raise InputError(f"must be at least 1 row, not {count:,}")
    return count


def sheet_name(value: object) -> str:
    """The name of a sheet of a workbook: any text but none."""
    if not isinstance(value, str) or not value:
        raise InputError(f"must be the name of a sheet, not {_shown(value)!r}")
    return value


def path_ending(suffix: str) -> Parse:
    def parse(value: object) -> Path:
        if not isinstance(value, str | os.PathLike) or Path(value).suffix.lower() != suffix:
            raise InputError(f"must name a {suffix} file, not {_shown(value)!r}")
        return Path(value)
    return parse


def init_source(value: object) -> Path | Mapping:
    """An init file's path, or (in Python) the same structure as a dict."""
    return value if isinstance(value, Mapping) else path_ending(".json")(value)


def choice(choices: tuple[str, ...]) -> Parse:
    """One of `choices`, refused as argparse refuses a choice."""
    def parse(value: object) -> str:
        if value not in choices:
            raise InputError(f"invalid choice: {value!r} (choose from "
                             f"{', '.join(map(repr, choices))})")
        return value
    return parse


def yes_or_no(value: object) -> bool:
    """True or False, as a switch is given in Python."""
    if not isinstance(value, bool):
        raise InputError(f"must be True or False, not {_shown(value)}")
    return value


def batch_mode(value: object) -> int | None:
    """full (None), or how many samples each attempt trains on: a whole number from 1 (the
    data's number of samples is the most, which `runs` checks)."""
    if value == FULL_BATCH:
        return None
    refusal = InputError(f"must be {FULL_BATCH} or a whole number of samples, not "
                         f"{_shown(value)!r}")
    if isinstance(value, bool):
        raise refusal
    try:
        count = _whole(value)
    except InputError:
        raise refusal from None
    if count < 1:
        raise InputError(f"must be {FULL_BATCH} or at least 1 sample, not {count}")
    return count


@dataclass(frozen=True)
class Option:
    flag: str
    """How the command line spells it, as its messages name it."""
    parse: Parse

    def __call__(self, value: object):
        """The value parsed, or an `InputError` with the command line's whole message."""
        try:
            return self.parse(value)
        except InputError as error:
            raise InputError(f"argument {self.flag}: {error}") from None


def _options(*options: Option) -> dict[str, Option]:
    """By their names in Python: the flag's, with dashes as underscores."""
    return {option.flag.removeprefix("--").replace("-", "_"): option for option in options}


_COMMON = (Option("--learning-rate", number_for("learning_rate")),
           Option("--attempts", attempt_count),
           Option("--loss-threshold", number_for("loss_threshold")),
           Option("--optimizer", choice(tuple(OPTIMIZERS))),
           *(Option(h.option, hyperparameter(h)) for h in HYPERPARAMETERS.values()),
           Option("--gradient-check", gradient_check),
           Option("--allow-large", yes_or_no))

NEURON_OPTIONS = _options(Option("--preset", choice(tuple(sorted(NEURON_PRESETS)))),
                          *_COMMON[:2],
                          *(Option(f"--{field.replace('_', '-')}", number_for(field))
                            for field in ("input", "target_factor", "weight", "bias")),
                          *_COMMON[2:])
NETWORK_OPTIONS = _options(Option("--preset", choice(tuple(sorted(NETWORK_PRESETS)))),
                           Option("--layers", layer_sizes),
                           Option("--activation", activation_names),
                           Option("--data", data_source),
                           Option("--data-sheet", sheet_name),
                           Option("--samples", sample_count),
                           Option("--noise", number_within(0, playground.MOST_NOISE,
                                                           "must lie between 0 and "
                                                           f"{playground.MOST_NOISE} (percent)")),
                           Option("--features", feature_names),
                           Option("--image", image_size),
                           Option("--grid", grid_size),
                           Option("--show-attempt", shown_attempt),
                           Option("--batch", batch_mode),
                           Option("--shuffle", yes_or_no),
                           Option("--test-fraction", test_share),
                           Option("--test", data_source),
                           Option("--test-sheet", sheet_name),
                           Option("--loss", choice(tuple(LOSSES))),
                           Option("--standardize", yes_or_no),
                           *_COMMON[:2],
                           Option("--seed", seed_number),
                           Option("--init", init_source),
                           Option("--l2", strength),
                           Option("--l1", strength),
                           Option("--lr-decay", rate_decay),
                           Option("--lr-decay-every", decay_interval),
                           *_COMMON[2:])
EXERCISE_OPTIONS = _options(Option("--blank", blank_names), Option("--rows", row_count),
                            Option("--self-check", yes_or_no))
"""What `sheetgen exercise` adds to the options of the workbook it blanks."""
GRADE_OPTIONS = _options(Option("--digits", figures))
"""How `sheetgen grade` marks a typed number."""
OUTPUT_FLAG = "-o/--output"


def parsed(given: Mapping[str, object], options: dict[str, Option]) -> dict[str, object]:
    """The options `given` by name, each parsed; refuses a name that is not an option."""
    for name in given:
        if name not in options:
            raise InputError(f"{name!r} is not an option; the options are "
                             f"{', '.join(options)}")
    return {name: options[name](value) for name, value in given.items()}


def settings_given(values: Mapping[str, object]) -> dict[str, float]:
    """The hyperparameters among parsed `values`, by their names in a run's settings."""
    return {name: values[name.lower()] for name in HYPERPARAMETERS
            if values.get(name.lower()) is not None}
