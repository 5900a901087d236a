"""The optimizers in cells: each one's update of a weight or bias, and its state columns.

A formula names its cells by role: {p} the parameter, {g} its gradient, {t} the attempt
number, {rate} the learning rate, a state by its letter ({v}, {s}, {m}) and a hyperparameter
by its name ({MOMENTUM} …). The update reads the row above (it makes the next row's
parameter); a state reads the row's own gradient and its own value in the row above, except
in the first row, where the state before is 0 and the formula leaves that term out, which
changes no bit. Every formula computes in the order of `maths/optimizers.py`.
"""

from dataclasses import dataclass

from sheetgen.maths.optimizers import Optimizer

UPDATES = {
    "gd": "={p}-{g}*{rate}",
    "momentum": "={p}-{v}*{rate}",
    "rmsprop": "={p}-{rate}*{g}/(SQRT({s})+{EPSILON})",
    "adam": "={p}-{rate}*({m}/(1-{BETA1}^{t}))/(SQRT({v}/(1-{BETA2}^{t}))+{EPSILON})",
}
"""The next row's parameter, from this row's cells."""

UPDATE_WORDS = {
    "gd": "the previous one less its gradient times the learning rate",
    "momentum": "the previous one less its velocity v times the learning rate",
    "rmsprop": "the previous one less the learning rate times its gradient over √s + ε",
    "adam": "the previous one less the learning rate times m̂ (m over 1 − β1^t) over "
            "√v̂ + ε (v̂ is v over 1 − β2^t)",
}


@dataclass(frozen=True)
class StateColumn:
    first: str
    later: str
    meaning: str


STATES = {
    ("momentum", "v"): StateColumn(
        "={g}", "={MOMENTUM}*{v}+{g}",
        "The velocity: the gradient plus MOMENTUM times the velocity before (0 before the "
        "first attempt)."),
    ("rmsprop", "s"): StateColumn(
        "=(1-{RMS_DECAY})*{g}^2", "={RMS_DECAY}*{s}+(1-{RMS_DECAY})*{g}^2",
        "The running mean square of the gradient: RMS_DECAY of the one before plus "
        "1 − RMS_DECAY of the gradient squared (0 before the first attempt)."),
    ("adam", "m"): StateColumn(
        "=(1-{BETA1})*{g}", "={BETA1}*{m}+(1-{BETA1})*{g}",
        "The running mean of the gradient: BETA1 of the one before plus 1 − BETA1 of the "
        "gradient (0 before the first attempt)."),
    ("adam", "v"): StateColumn(
        "=(1-{BETA2})*{g}^2", "={BETA2}*{v}+(1-{BETA2})*{g}^2",
        "The running mean of the squared gradient: BETA2 of the one before plus 1 − BETA2 of "
        "the gradient squared (0 before the first attempt)."),
}


def update(optimizer: Optimizer, cells: dict[str, str]) -> str:
    """The update formula with each role replaced by its cell or name."""
    return UPDATES[optimizer.name].format(**cells)


def state_formulas(optimizer: Optimizer, state: str, cells_first: dict[str, str],
                   cells_later: dict[str, str]) -> tuple[str, str]:
    """(the first row's, the later rows') formula of one state column."""
    column = STATES[optimizer.name, state]
    return column.first.format(**cells_first), column.later.format(**cells_later)
