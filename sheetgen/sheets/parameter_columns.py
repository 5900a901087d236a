"""The columns of a weight or bias in a network's row: its value, updated from the row before
as the optimizer says, its gradient (penalised where the run says), its optimizer's state,
and its gradient check, built with the row's `network_columns.Builder`."""

from typing import TYPE_CHECKING

from sheetgen.maths.fields import (
    ATTEMPT,
    CHECKS,
    RATE,
    Field,
    Kind,
    parameter_field,
    pass_numbers,
)
from sheetgen.sheets import gradient_check, optimizer_columns
from sheetgen.sheets.columns import SMALL_FORMAT, STATE_FORMAT, Column
from sheetgen.sheets.network_data import InitialCell
from sheetgen.sheets.network_formulas import input_of

if TYPE_CHECKING:   # the builder calls these: its module imports this one
    from sheetgen.sheets.network_columns import Builder


def parameter_columns(builder: "Builder", cell: InitialCell) -> list[Column]:
    """A weight or bias, updated from the row before, its gradient and its optimizer
    state."""
    run, at = builder.run, builder.at
    net, rule = run.network, run.rule
    field = parameter_field(cell.parameter)
    gradient = field.of(Kind.GRADIENT)
    layer, j, source = cell.parameter
    record = net.layers[layer - 1]
    settings = {name: builder.names.get(name, name)
                for name in ("LEARNING_RATE", *rule.hyperparameters)}
    states = {state: field.of(Kind.STATE, state) for state in rule.states}
    rate = settings["LEARNING_RATE"] if run.lr_decay is None else at(RATE, "{prev}")
    update = optimizer_columns.update(rule, {
        "p": at(field, "{prev}"), "g": at(gradient, "{prev}"),
        "t": at(ATTEMPT, "{prev}"), "rate": rate, **settings,
        **{state: at(state_field, "{prev}") for state, state_field in states.items()}})
    steps = f"then {optimizer_columns.UPDATE_WORDS[rule.name]}."
    if run.lr_decay is not None:
        steps = steps.replace("the learning rate", "the row above's Rate")
    samples = pass_numbers(run)
    averaged = ", averaged over the samples." if len(samples) > 1 else "."
    value = (f"{net.parameter_words('parameter_meaning', cell.parameter)}: its initial value "
             f"({cell.name}) "
             f"at first, {steps}")
    terms = [record.gradient_terms(cell.parameter.key, lambda i: at(input_of(layer, i, s)),
                                   lambda k: at(Field(Kind.DELTA, s, layer, k)))
             for s in samples]
    slope = (f"How the loss changes with this {'bias' if source is None else 'weight'}: "
             f"{net.parameter_words('gradient_meaning', cell.parameter)}{averaged}")
    formula = builder.average(terms)
    if source is not None and run.penalties:
        formula += "".join(f"+{penalty.slope_formula(at(field))}"
                           for penalty, _ in run.penalties)
        slope = slope[:-1] + ", plus " + ", plus ".join(
            penalty.slope_words for penalty, _ in run.penalties) + " (the penalty's slope)."
    columns = [builder.column(field, f"={cell.name}", update, STATE_FORMAT, value),
               builder.computed(gradient, formula, SMALL_FORMAT, slope)]
    for state, state_field in states.items():
        roles = {"g": at(gradient), **settings}
        first, later = optimizer_columns.state_formulas(
            rule, state, roles, {**roles, state: at(state_field, "{prev}")})
        columns.append(builder.column(state_field, first, later, SMALL_FORMAT,
                                   optimizer_columns.STATES[rule.name, state].meaning))
    return columns


def check_columns(builder: "Builder", cell: InitialCell) -> list[Column]:
    """The gradient check of a weight or bias: the loss moved up and down, the estimate,
    the relative difference; none without a check."""
    run, at = builder.run, builder.at
    if run.gradient_step is None:
        return []
    up, down, guess, apart = (parameter_field(cell.parameter, Kind.CHECK, part)
                              for part in CHECKS)
    what = "bias" if cell.parameter.is_bias else "weight"
    step = gradient_check.STEP_NAME
    columns = [builder.computed(
        moved, gradient_check.moved_loss(run, at, cell.parameter, sign),
        gradient_check.LOSS_FORMAT,
        f"The row's loss computed again with this {what} moved {word} by {step}: every "
        "output it reaches is computed again inside the cell.")
        for moved, sign, word in ((up, "+", "up"), (down, "-", "down"))]
    gradient = parameter_field(cell.parameter, Kind.GRADIENT)
    return columns + [
        builder.computed(guess, gradient_check.estimate(at(up), at(down)), SMALL_FORMAT,
                      "The gradient estimated from the loss alone: the two losses' "
                      f"difference over 2·{step} (a central finite difference)."),
        builder.computed(apart, gradient_check.difference(at(guess), at(gradient)),
                      SMALL_FORMAT,
                      "How far the estimate is from the gradient, relative to the larger "
                      "of the two: tiny where the chain rule is right, unless the gradient "
                      "itself is near rounding noise (see the Notes).")]
