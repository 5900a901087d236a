"""The description of a network's workbook, built from its shape: the Training sheet's columns,
the Data sheet's cells and column A's panel. The writer, the check, the Notes and the docs all
read it, as they read `columns.py` for the article's neuron.

Every value the reference computes has a column, in the reference's own order (see
`network.field_names`): the attempt and its loss, then each sample's forward and backward pass,
then every weight and bias with its gradient. Sums are written out term by term in the
reference's order, never with SUM or SUMPRODUCT, which LibreOffice adds with compensation.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate

from sheetgen.maths import network
from sheetgen.maths.datasets import LIMIT
from sheetgen.maths.network import FULL_BATCH, Run
from sheetgen.maths.optimizers import GRADIENT_DESCENT, HYPERPARAMETERS, Hyperparameter
from sheetgen.sheets import gradient_check, optimizer_columns, panel
from sheetgen.sheets.columns import (
    PARAMETER_FORMAT,
    SHEET_NAME,
    SMALL_FORMAT,
    STATE_FORMAT,
    Column,
    Group,
)
from sheetgen.sheets.network_formulas import (
    ACTIVATION_FORMULAS,
    bias_field,
    input_field,
    mean,
    slope,
    weight_field,
)

DATA_SHEET_NAME = "Data"
CHARTS_SHEET_NAME = "Charts"
FIRST_COLUMN = 3
"""Column C: column A holds the panel, B is a spacer, as in the article's sheet."""

# The Data sheet: the network's shape, the samples, then the initial weights and biases.
SHAPE_ROWS = {"layers": 2, "activations": 3, "batch": 4, "optimizer": 5}
"""Rows of the Data sheet that say, in column B, what the formulas were built for (the
optimizer where it is not plain gradient descent)."""
SAMPLES_TITLE_ROW = 6
SAMPLES_HEADER_ROW = 7

ACTIVATION_WORDS = {
    "tanh": "tanh of the net, between −1 and 1",
    "sigmoid": "the sigmoid of the net, 1/(1+e^−net), between 0 and 1",
    "relu": "the net where it is positive, else 0 (ReLU)",
    "linear": "the net itself (a linear neuron)",
}
SLOPE_WORDS = {
    "tanh": "1 − out², the slope of tanh",
    "sigmoid": "out·(1 − out), the slope of the sigmoid",
    "relu": "1 where the net is positive, else 0, the slope of ReLU",
    "linear": "1, the slope of a linear neuron",
}

NUMBER_WIDTH, DATA_WIDTH = 13, 9
"""Column widths, as in the article's sheet: computed numbers, and the data they start from."""
LOSS_WIDTH = 17
"""The gradient check's moved losses, shown to twelve digits."""


def defined_name(parameter: str) -> str:
    """The workbook name of an initial weight or bias: 'w h1←x2' → W_H1_X2, 'b h1.2' → B_H1_2."""
    kind, rest = parameter.split(" ")
    return f"{kind}_{rest.replace('←', '_').replace('.', '_')}".upper()


@dataclass(frozen=True)
class NetworkRows:
    """The `RowSource` of a network's Training sheet: the reference's values, row by row."""

    run: Run

    @property
    def attempts(self) -> int:
        return self.run.attempts

    @property
    def fields(self) -> tuple[str, ...]:
        return network.field_names(self.run)

    def values(self) -> Iterator[tuple]:
        return map(network.row_values, network.train(self.run))


@dataclass(frozen=True)
class InitialCell:
    """A named input cell on the Data sheet holding an initial weight or bias."""

    parameter: str
    """The reference's field, such as 'w h1←x2' or 'b o1'."""
    name: str
    cell: str
    """Its coordinate on the Data sheet, such as 'C12'."""
    value: float
    layer: int
    neuron: int
    source: int | None
    """Where it stands: the weight into neuron j of `layer` from neuron `source` of the layer
    before, or the bias of neuron j where `source` is None."""


@dataclass(frozen=True)
class NetworkSheet:
    """Everything about a network's workbook that follows from its run's shape."""

    run: Run
    groups: tuple[Group, ...]
    spacers: tuple[str, ...]
    sample_cells: tuple[tuple[str, ...], ...]
    """sample_cells[s][c]: the Data sheet cell of sample s's c-th value (inputs, then targets)."""
    initial_cells: tuple[InitialCell, ...]
    layer_tables: tuple[tuple[int, str], ...]
    """(header row, title) of each layer's table of initial weights and biases."""
    panel: panel.Panel
    summary: tuple[panel.Result, ...]
    """The summary cells, in column A of the Charts sheet."""

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(col for group in self.groups for col in group.columns)

    @property
    def computed(self) -> tuple[Column, ...]:
        return tuple(col for col in self.columns if col.later is not None)

    def letter(self, field: str) -> str:
        return next(col.letter for col in self.columns if col.field == field)

    def rows(self) -> NetworkRows:
        return NetworkRows(self.run)

    def constants(self) -> dict[str, float]:
        """Values the same in every row: a full batch's inputs and targets."""
        if self.run.batch != FULL_BATCH:
            return {}
        net = self.run.network
        labels = ([net.neuron(0, i) for i in range(net.sizes[0])]
                  + [f"t{k + 1}" for k in range(net.sizes[-1])])
        return {f"{network.pass_prefix(self.run, s + 1)}{label}": value
                for s, sample in enumerate(self.run.samples)
                for label, value in zip(labels, sample.inputs + sample.targets)}


def layer_title(run: Run, layer: int) -> str:
    sizes = run.network.sizes
    activation = run.network.activations[layer - 1]
    if layer == len(sizes) - 1:
        return f"Output layer · {activation}"
    if len(sizes) == 3:
        return f"Hidden layer · {activation}"
    return f"Hidden layer {layer} · {activation}"


def describe(run: Run, first_column: int = FIRST_COLUMN,
             names: Mapping[str, str] | None = None) -> NetworkSheet:
    """Lay the run's values out in columns from `first_column`, then write each column's
    formulas. They call the learning rate and the optimizer's hyperparameters by their
    workbook names, or by what `names` gives for them (another sheet's own cells)."""
    names = names or {}
    fields = network.field_names(run)
    net = run.network
    n = len(run.samples)
    full = run.batch == FULL_BATCH
    sample_cells = _sample_cells(run)

    # Which fields form which group, and the letters they get (a spacer between groups).
    grouped: list[tuple[str, list[str]]] = [("Attempt", [])]
    for field in fields:
        prefix = field.split(" ")[0] if full and field.startswith("s") and " " in field else ""
        if field in ("attempt", "sample", "loss"):
            title = "Attempt"
        elif field == network.LARGEST_DIFFERENCE:
            title = "Gradient check"
        elif field.split("·")[-1].startswith(("w ", "b ", "∂w ", "∂b ")):
            layer = _layer_of(net, field.split(" ")[1].split("←")[0])
            title = f"Layer {layer}: {layer_title(run, layer)}"
        elif full:
            title = f"Sample {prefix[1:]}"
        else:
            title = "The row's sample"
        if grouped[-1][0] != title:
            grouped.append((title, []))
        grouped[-1][1].append(field)
    letters: dict[str, str] = {}
    spacers = []
    index = first_column
    for number, (_, members) in enumerate(grouped):
        if number:
            spacers.append(get_column_letter(index))
            index += 1
        for field in members:
            letters[field] = get_column_letter(index)
            index += 1

    def at(field: str, row: str = "{row}") -> str:
        return f"{letters[field]}{row}"

    def column(field: str, header: str, first: str | None, later: str | None, number_format: str,
               meaning: str) -> Column:
        width = {STATE_FORMAT: NUMBER_WIDTH, SMALL_FORMAT: NUMBER_WIDTH,
                 gradient_check.LOSS_FORMAT: LOSS_WIDTH}.get(number_format, DATA_WIDTH)
        return Column(letters[field], header, field, first, later, number_format, width, meaning)

    def computed(field, header, formula, number_format, meaning) -> Column:
        return column(field, header, formula, formula, number_format, meaning)

    initial = _initial_cells(run, n)
    columns: dict[str, Column] = {}
    # The attempt, the row's sample and the loss.
    columns["attempt"] = column("attempt", "Attempt", None, None, "0",
                                "Which attempt this row is: 1 for the first, one more on every "
                                "row.")
    if not full:
        columns["sample"] = computed(
            "sample", "Sample", f"=MOD({at('attempt')}-1,{n})+1", "0",
            f"Which sample this attempt trains on: they take turns, 1 to {n}.")
    errors = [field for field in fields if field.endswith(" error")]
    columns["loss"] = computed(
        "loss", "Loss", mean([f"{at(e)}^2/2" for e in errors], len(errors) // net.sizes[-1]),
        SMALL_FORMAT,
        "Half the squared error, summed over the outputs"
        + (f" and averaged over the {n} samples" if full and n > 1 else "")
        + ": the number that training drives down.")

    # Each sample's pass, forward then backward.
    passes = network.pass_prefixes(run)
    for s, prefix in enumerate(passes):
        for c, label in enumerate([net.neuron(0, i) for i in range(net.sizes[0])]
                                  + [f"t{k + 1}" for k in range(net.sizes[-1])]):
            field = f"{prefix}{label}"
            if full:
                source = data_reference(sample_cells[s][c])
                formula = f"={source}"
            else:
                top = data_reference(sample_cells[0][c])
                bottom = data_reference(sample_cells[-1][c])
                formula = f"=INDEX({top}:{bottom.split('!')[1]},{at('sample')})"
            what = ("An input of the sample" if label.startswith("x")
                    else "The sample's target, the output wanted")
            columns[field] = computed(field, label, formula, PARAMETER_FORMAT,
                                      f"{what}, from the {DATA_SHEET_NAME} sheet.")
        for layer in range(1, len(net.sizes)):
            activation = net.activations[layer - 1]
            output_formula, _ = ACTIVATION_FORMULAS[activation]
            for j in range(net.sizes[layer]):
                me = net.neuron(layer, j)
                terms = [f"{at(prefix + input_field(net, layer, i))}"
                         f"*{at(weight_field(net, layer, j, i))}"
                         for i in range(net.sizes[layer - 1])]
                columns[f"{prefix}{me} net"] = computed(
                    f"{prefix}{me} net", f"{me} net",
                    "=" + "+".join(terms) + f"+{at(f'b {me}')}", STATE_FORMAT,
                    f"The net of {me}: each input times its weight, plus the bias.")
                columns[f"{prefix}{me} out"] = computed(
                    f"{prefix}{me} out", f"{me} out",
                    output_formula.format(z=at(f"{prefix}{me} net")), STATE_FORMAT,
                    f"The output of {me}: {ACTIVATION_WORDS[activation]}.")
        last = len(net.sizes) - 1
        for k in range(net.sizes[-1]):
            me = net.neuron(last, k)
            columns[f"{prefix}{me} error"] = computed(
                f"{prefix}{me} error", f"{me} error",
                f"={at(f'{prefix}{me} out')}-{at(f'{prefix}t{k + 1}')}", SMALL_FORMAT,
                f"How far the output of {me} is from its target.")
        for layer in range(last, 0, -1):
            activation = net.activations[layer - 1]
            for j in range(net.sizes[layer]):
                me = net.neuron(layer, j)
                if layer == last:
                    back = at(f"{prefix}{me} error")
                    meaning = (f"How the loss changes with the net of {me}: its error times "
                               f"{SLOPE_WORDS[activation]}.")
                else:
                    back = "(" + "+".join(
                        f"{at(weight_field(net, layer + 1, later, j))}"
                        f"*{at(f'{prefix}δ {net.neuron(layer + 1, later)}')}"
                        for later in range(net.sizes[layer + 1])) + ")"
                    meaning = (f"How the loss changes with the net of {me}: the δ of each "
                               f"neuron it feeds, times the weight between them, summed, times "
                               f"{SLOPE_WORDS[activation]}.")
                factor = slope(activation, at(f"{prefix}{me} net"), at(f"{prefix}{me} out"))
                if factor is None:   # linear: the slope is 1, and the sum needs no brackets
                    formula = f"={back.removeprefix('(').removesuffix(')')}"
                else:
                    formula = f"={back}*{factor}"
                columns[f"{prefix}δ {me}"] = computed(f"{prefix}δ {me}", f"δ {me}", formula,
                                                      SMALL_FORMAT, meaning)

    # Every weight and bias with its gradient, and the optimizer's state.
    rule = run.rule
    settings = {name: names.get(name, name) for name in ("LEARNING_RATE",
                                                         *rule.hyperparameters)}
    for cell in initial:
        field = cell.parameter
        gradient = f"∂{field}"
        me = net.neuron(cell.layer, cell.neuron)
        states = {state: network.state_field(state, field) for state in rule.states}
        update = optimizer_columns.update(rule, {
            "p": at(field, "{prev}"), "g": at(gradient, "{prev}"),
            "t": at("attempt", "{prev}"), "rate": settings["LEARNING_RATE"], **settings,
            **{state: at(state_field, "{prev}") for state, state_field in states.items()}})
        steps = f"then {optimizer_columns.UPDATE_WORDS[rule.name]}."
        if cell.source is not None:
            source = net.neuron(cell.layer - 1, cell.source)
            feeding = input_field(net, cell.layer, cell.source)
            terms = [f"{at(f'{p}δ {me}')}*{at(p + feeding)}" for p in passes]
            header = f"w {source}→{me}"
            columns[field] = column(field, header, f"={cell.name}", update, STATE_FORMAT,
                                    f"The weight from {source} into {me}: its initial value "
                                    f"({cell.name}) at first, {steps}")
            columns[gradient] = computed(
                gradient, f"∂{header}", mean(terms, len(passes)), SMALL_FORMAT,
                f"How the loss changes with this weight: δ {me} times {source}"
                + (", averaged over the samples." if len(passes) > 1 else "."))
        else:
            header = f"b {me}"
            columns[field] = column(field, header, f"={cell.name}", update, STATE_FORMAT,
                                    f"The bias of {me}: its initial value ({cell.name}) at "
                                    f"first, {steps}")
            columns[gradient] = computed(
                gradient, f"∂b {me}", mean([at(f"{p}δ {me}") for p in passes], len(passes)),
                SMALL_FORMAT, f"How the loss changes with this bias: δ {me}"
                + (", averaged over the samples." if len(passes) > 1 else "."))
        for state, state_field in states.items():
            roles = {"g": at(gradient), **settings}
            first, later = optimizer_columns.state_formulas(
                rule, state, roles, {**roles, state: at(state_field, "{prev}")})
            columns[state_field] = column(
                state_field, f"{state} {header}", first, later, SMALL_FORMAT,
                optimizer_columns.STATES[rule.name, state].meaning)
        if run.gradient_step is not None:
            up, down, guess, apart = network.check_fields(field)
            what = "bias" if cell.source is None else "weight"
            for moved, sign, shown, word in ((up, "+", "+", "up"), (down, "-", "−", "down")):
                columns[moved] = computed(
                    moved, f"loss {shown}H {header}",
                    gradient_check.moved_loss(run, at, cell.layer, cell.neuron, cell.source,
                                              sign),
                    gradient_check.LOSS_FORMAT,
                    f"The row's loss computed again with this {what} moved {word} by "
                    f"{gradient_check.STEP_NAME}: every output it reaches is computed again "
                    "inside the cell.")
            columns[guess] = computed(
                guess, f"≈∂{header}", gradient_check.estimate(at(up), at(down)), SMALL_FORMAT,
                f"The gradient estimated from the loss alone: the two losses' difference over "
                f"2·{gradient_check.STEP_NAME} (a central finite difference).")
            columns[apart] = computed(
                apart, f"rel. diff. {header}", gradient_check.difference(at(guess),
                                                                         at(gradient)),
                SMALL_FORMAT, "How far the estimate is from the gradient, relative to the "
                              "larger of the two: tiny where the chain rule is right, unless "
                              "the gradient itself is near rounding noise (see the Notes).")
    if run.gradient_step is not None:
        largest = network.LARGEST_DIFFERENCE
        columns[largest] = computed(
            largest, "largest rel. diff.", gradient_check.row_largest(
                [at(network.difference_field(cell.parameter)) for cell in initial]),
            SMALL_FORMAT, "The largest of the row's relative differences.")

    groups = tuple(Group(title, tuple(columns[field] for field in members))
                   for title, members in grouped)
    summary = panel.summary_results(loss=letters["loss"], first_row=SUMMARY_FIRST_ROW,
                                    sheet=SHEET_NAME)
    if run.gradient_step is not None:
        summary += (gradient_check.largest_difference(
            f"{SHEET_NAME}!{letters['loss']}",
            f"{SHEET_NAME}!{letters[network.LARGEST_DIFFERENCE]}", summary[-1].row + 2),)
    return NetworkSheet(run, groups, tuple(spacers), sample_cells, initial,
                        _layer_tables(run, n), network_panel(run), summary)


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


FIRST_HYPERPARAMETER_ROW = 10
"""Below the pointer to the summary (row 7) and a blank row."""


SUMMARY_FIRST_ROW = 4
"""The summary stands on the Charts sheet, in column A from here, two rows a cell, because
its stored results are known only once the last row is written (a summary above a million
rows of attempts would need the whole run computed once more, ahead of them)."""
POINTER_ROW = 7
"""Where column A of the Training sheet says where the summary is."""


def _layer_of(net: network.Network, label: str) -> int:
    return next(layer for layer in range(len(net.sizes))
                for j in range(net.sizes[layer]) if net.neuron(layer, j) == label)


def data_reference(cell: str) -> str:
    """A cell of the Data sheet as formulas and names refer to it: B8 → Data!$B$8."""
    return f"{DATA_SHEET_NAME}!{absolute_coordinate(cell)}"


def _sample_cells(run: Run) -> tuple[tuple[str, ...], ...]:
    width = run.network.sizes[0] + run.network.sizes[-1]
    return tuple(tuple(f"{get_column_letter(2 + c)}{SAMPLES_HEADER_ROW + s}"
                       for c in range(width))
                 for s in range(1, len(run.samples) + 1))


def _initial_row(n: int) -> int:
    """The title row of the initial weights and biases: below the samples and a blank row."""
    return SAMPLES_HEADER_ROW + n + 2


def _layer_tables(run: Run, n: int) -> tuple[tuple[int, str], ...]:
    tables, row = [], _initial_row(n) + 1
    for layer in range(1, len(run.network.sizes)):
        tables.append((row, layer_title(run, layer)))
        row += run.network.sizes[layer] + 2
    return tuple(tables)


def _initial_cells(run: Run, n: int) -> tuple[InitialCell, ...]:
    """One table per layer: a row per neuron, its weights from each neuron before, its bias."""
    net = run.network
    cells = []
    for (header_row, _), layer in zip(_layer_tables(run, n), range(1, len(net.sizes))):
        for j in range(net.sizes[layer]):
            row = header_row + 1 + j
            for i in range(net.sizes[layer - 1]):
                parameter = weight_field(net, layer, j, i)
                cells.append(InitialCell(parameter, defined_name(parameter),
                                         f"{get_column_letter(2 + i)}{row}",
                                         run.weights[layer - 1][j][i], layer, j, i))
            parameter = bias_field(net, layer, j)
            cells.append(InitialCell(parameter, defined_name(parameter),
                                     f"{get_column_letter(2 + net.sizes[layer - 1])}{row}",
                                     run.biases[layer - 1][j], layer, j, None))
    return tuple(cells)


def run_line(run: Run, attempts: bool = True, optimizer: bool = True) -> str:
    """The run's shape and settings in one line, for the page header; without the optimizer
    and its learning rate for the Optimizers sheet, which has four."""
    net = run.network
    batch = "full batch" if run.batch == FULL_BATCH else "one sample per attempt"
    samples = f"{len(run.samples)} sample" + ("s" if len(run.samples) > 1 else "")
    step = ("" if run.rule is GRADIENT_DESCENT else f"{run.rule.title} · ") \
        + f"learning rate {run.learning_rate:g}"
    return (f"layers {','.join(map(str, net.sizes))} · {','.join(net.activations)} · "
            f"{samples}, {batch} · "
            + (step if optimizer else "each optimizer at the rate in column A")
            + (f" · {run.attempts:,} attempts" if attempts else "")
            + ("" if run.gradient_step is None or not optimizer
               else f" · gradient check, H {run.gradient_step:g}"))
