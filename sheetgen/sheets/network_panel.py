"""Column A of a network's Training sheet: the named, validated input cells, and where the
summary stands."""

from dataclasses import replace

from sheetgen.maths.datasets import LIMIT
from sheetgen.maths.network import Run
from sheetgen.maths.optimizers import HYPERPARAMETERS, Hyperparameter
from sheetgen.sheets import gradient_check, panel

FIRST_HYPERPARAMETER_ROW = 10
"""Below the pointer to the summary (row 7) and a blank row."""
SUMMARY_FIRST_ROW = 4
"""The summary stands on the Charts sheet, in column A from here, two rows a cell, because
its stored results are known only once the last row is written (a summary above a million
rows of attempts would need the whole run computed once more, ahead of them)."""
POINTER_ROW = 7
"""Where column A of the Training sheet says where the summary is."""


def network_panel(run: Run) -> panel.Panel:
    """Column A: the learning rate in A2 as in the article, the loss threshold, and the
    optimizer's hyperparameters below where the summary is, then the gradient check's H."""
    rate, threshold = panel.INPUTS[0], panel.INPUTS[-1]
    hyperparameters = tuple(
        hyperparameter_input(HYPERPARAMETERS[name], FIRST_HYPERPARAMETER_ROW + 3 * index)
        for index, name in enumerate(run.rule.hyperparameters))
    step = () if run.gradient_step is None else (gradient_check.step_input(
        FIRST_HYPERPARAMETER_ROW + 3 * len(hyperparameters)),)
    return panel.Panel((rate, replace(threshold, row=5), *hyperparameters, *step), None, ())


def hyperparameter_input(hyperparameter: Hyperparameter, row: int) -> panel.Input:
    """A named, validated cell for an optimizer's hyperparameter: a rate of decay in [0, 1),
    or ε above 0."""
    low, high = (0.0, panel.BELOW_ONE) if hyperparameter.is_decay else (panel.TINY, LIMIT)
    return panel.Input(f"{hyperparameter.label} ({hyperparameter.name})", hyperparameter.name,
                       row, hyperparameter.name, low, high, hyperparameter.meaning)
