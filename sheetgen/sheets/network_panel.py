"""Column A of a network's Training sheet: the named, validated input cells, and where the
summary stands."""

from dataclasses import replace

from sheetgen.maths.datasets import LIMIT
from sheetgen.maths.network import Run
from sheetgen.maths.optimizers import HYPERPARAMETERS, Hyperparameter
from sheetgen.maths.penalties import PENALTIES
from sheetgen.sheets import gradient_check, panel
from sheetgen.sheets.columns import MAX_ATTEMPTS
from sheetgen.sheets.network_formulas import DECAY_EVERY_NAME, DECAY_NAME

FIRST_HYPERPARAMETER_ROW = 10
"""Below the pointer to the summary (row 7) and a blank row."""
SUMMARY_FIRST_ROW = 4
"""The summary stands on the Charts sheet, in column A from here, two rows a cell, because
its stored results are known only once the last row is written (a summary above a million
rows of attempts would need the whole run computed once more, ahead of them)."""
POINTER_ROW = 7
"""Where column A of the Training sheet says where the summary is."""


PENALTY_INPUTS = {
    name: panel.Input(f"{name.upper()} rate λ ({penalty.cell})", penalty.cell, 0, name, 0.0,
                      LIMIT, f"How strongly the {name.upper()} penalty keeps the weights "
                             f"small: {penalty.words}.")
    for name, penalty in PENALTIES.items()}
DECAY_INPUTS = (
    panel.Input(f"Rate decay γ ({DECAY_NAME})", DECAY_NAME, 0, "lr_decay", panel.TINY, 1.0,
                "What the learning rate is multiplied by every N attempts (1 keeps it)."),
    panel.Input(f"Decay every N ({DECAY_EVERY_NAME})", DECAY_EVERY_NAME, 0, "lr_decay_every",
                1.0, float(MAX_ATTEMPTS), "How many attempts the learning rate keeps before "
                                          "it is multiplied by γ."))
"""The named cells of the penalties' λ and of the rate's decay, placed by `network_panel`."""


def network_panel(run: Run) -> panel.Panel:
    """Column A: the learning rate in A2 as in the article, the loss threshold, and below
    where the summary is, the optimizer's hyperparameters, the gradient check's H, the
    penalties' λ and the rate's decay, those the run has."""
    rate, threshold = panel.INPUTS[0], panel.INPUTS[-1]
    below = [hyperparameter_input(HYPERPARAMETERS[name], 0) for name in run.rule.hyperparameters]
    if run.gradient_step is not None:
        below.append(gradient_check.step_input(0))
    below += [PENALTY_INPUTS[penalty.name] for penalty, _ in run.penalties]
    if run.lr_decay is not None:
        below += DECAY_INPUTS
    placed = tuple(replace(entry, row=FIRST_HYPERPARAMETER_ROW + 3 * index)
                   for index, entry in enumerate(below))
    return panel.Panel((rate, replace(threshold, row=5), *placed), None, ())


def hyperparameter_input(hyperparameter: Hyperparameter, row: int) -> panel.Input:
    """A named, validated cell for an optimizer's hyperparameter: a rate of decay in [0, 1),
    or ε above 0."""
    low, high = (0.0, panel.BELOW_ONE) if hyperparameter.is_decay else (panel.TINY, LIMIT)
    return panel.Input(f"{hyperparameter.label} ({hyperparameter.name})", hyperparameter.name,
                       row, hyperparameter.name, low, high, hyperparameter.meaning)
