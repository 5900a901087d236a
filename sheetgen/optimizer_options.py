"""`--optimizer` and its hyperparameters, on every command that writes a workbook."""

import argparse

from sheetgen.arguments import number_within
from sheetgen.errors import InputError as DataError
from sheetgen.maths.optimizers import GRADIENT_DESCENT, HYPERPARAMETERS, OPTIMIZERS, Hyperparameter
from sheetgen.sheets.network_sheet import hyperparameter_input


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
    """A parser for the option, within the bounds its cell's validation allows."""
    cell = hyperparameter_input(hyperparameter, row=0)
    return number_within(cell.low, cell.high,
                         "must be at least 0 and below 1" if hyperparameter.is_decay else
                         f"must be above 0 (at least {cell.low:g}) and at most "
                         f"{cell.high:,.0f}")


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
