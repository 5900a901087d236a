"""`--optimizer` and its hyperparameters, on every command that writes a workbook."""

import argparse
import math

from sheetgen.maths.datasets import LIMIT, DataError
from sheetgen.maths.optimizers import GRADIENT_DESCENT, HYPERPARAMETERS, OPTIMIZERS, Hyperparameter
from sheetgen.sheets import panel


def add_optimizer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default=GRADIENT_DESCENT.name,
                        help="how each weight and bias steps against its gradient: plain "
                             "gradient descent (default), momentum, RMSProp or Adam; any but "
                             "gd adds an Optimizers sheet comparing all four")
    for hyperparameter in HYPERPARAMETERS.values():
        users = [o.name for o in OPTIMIZERS.values()
                 if hyperparameter.name in o.hyperparameters]
        kind = "in [0, 1)" if hyperparameter.is_decay else "above 0"
        parser.add_argument(hyperparameter.option, type=_parser_for(hyperparameter),
                            metavar="X", dest=hyperparameter.name,
                            help=f"{hyperparameter.meaning[:-1].lower()} ({kind}; "
                                 f"{' and '.join(users)} only; default "
                                 f"{hyperparameter.default:g})")


def _parser_for(hyperparameter: Hyperparameter):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
        if hyperparameter.is_decay and not 0 <= value < 1:
            raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, not {text}")
        if not hyperparameter.is_decay and not (math.isfinite(value)
                                                 and panel.TINY <= value <= LIMIT):
            raise argparse.ArgumentTypeError(
                f"must be above 0 (at least {panel.TINY:g}) and at most {LIMIT:,.0f}, "
                f"not {text}")
        return value
    return parse


def optimizer_settings(options: argparse.Namespace) -> dict[str, float]:
    """The chosen optimizer's hyperparameters; refuses one given for an optimizer without it."""
    optimizer = OPTIMIZERS[options.optimizer]
    given = {name: getattr(options, name) for name in HYPERPARAMETERS
             if getattr(options, name) is not None}
    for name in given:
        if name not in optimizer.hyperparameters:
            users = [o.name for o in OPTIMIZERS.values() if name in o.hyperparameters]
            raise DataError(f"{HYPERPARAMETERS[name].option} is for --optimizer "
                            f"{' or '.join(users)}, not {optimizer.name}")
    return optimizer.settings(given)
