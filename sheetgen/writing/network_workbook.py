"""Write a network's workbook: the Training sheet streamed from the reference, the Charts, the
Data sheet of samples and initial weights and biases, and the Notes, all from its description.
"""

import math
import re
from collections.abc import Mapping
from typing import BinaryIO, NamedTuple

from openpyxl.styles import Alignment
from openpyxl.workbook.defined_name import DefinedName

from sheetgen.maths import network
from sheetgen.maths.datasets import LIMIT
from sheetgen.maths.network import Run
from sheetgen.maths.neuron import Ending
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.sheets import network_notes
from sheetgen.sheets.columns import FIRST_ROW, SHEET_NAME, last_row
from sheetgen.sheets.fit import fitting_sheet
from sheetgen.sheets.network_sheet import (
    CHARTS_SHEET_NAME,
    DATA_SHEET_NAME,
    POINTER_ROW,
    SAMPLES_HEADER_ROW,
    SAMPLES_TITLE_ROW,
    SHAPE_ROWS,
    NetworkSheet,
    data_reference,
    run_line,
)
from sheetgen.sheets.optimizers_sheet import (
    CHART_COLUMNS,
    OPTIMIZERS_SHEET_NAME,
    OptimizersSheet,
    describe_optimizers,
)
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.rows import SheetRows, cell_xml
from sheetgen.writing.sheet_parts import (
    BOXED,
    CENTRED,
    CHART_HEIGHT_CM,
    CHART_ROWS,
    CHART_WIDTH_CM,
    GROUP_FILL,
    GROUP_FONT,
    HEADER_BORDER,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_LOOK,
    LABEL_FONT,
    RESULT_FILL,
    RESULT_FONT,
)
from sheetgen.writing.workbook import (
    TRAINING_PART,
    ProgressCallback,
    StreamedSheet,
    panel_cells,
    write_package,
)

TITLE = "Network training"
CHARTS_PART = "xl/worksheets/sheet2.xml"
DATA_PART = "xl/worksheets/sheet3.xml"
LOG_CHART_PART = "xl/charts/chart2.xml"
"""The Charts sheet's second chart, the loss on a log scale."""
CHECK_CHART_PART = "xl/charts/chart4.xml"
"""Its fourth, with a gradient check: the relative differences on a log scale."""
OPTIMIZERS_PART = "xl/worksheets/sheet5.xml"
"""The Optimizers sheet, after the Notes, where the optimizer is not plain gradient descent."""

LOSS_COLOUR = "C0504D"
COLOURS = ("1F77B4", "FF7F0E", "2CA02C", "9467BD", "8C564B", "D62728")
MOST_OUTPUT_SERIES = len(COLOURS)
"""Outputs drawn against their targets: more lines than this would be a tangle."""
PRINTED_ROWS = 60
NOTE_LINE_CHARACTERS, NOTE_LINE_HEIGHT = 22, 13
"""About how many characters of a note fit a line of column A, and a line's height (points)."""
OPTIMIZERS_PANEL_WIDTH = 30
"""Wide enough for labels such as 'Gradient descent: learning rate' on one line."""


def optimizers_chart_part(run: Run) -> str:
    """The Optimizers sheet's chart, the losses under each optimizer on a log scale: numbered
    after the Charts sheet's three, or four with a gradient check."""
    return f"xl/charts/chart{4 if run.gradient_step is None else 5}.xml"


def write_network_workbook(run: Run, target: BinaryIO, progress: ProgressCallback | None = None,
                           compared: Mapping[str, float] | None = None) -> network.Summary:
    """Write the whole workbook to a seekable binary file; return how the run ended.

    The summary and the log axes' ranges are noted as the rows are computed, and written into
    the Charts sheet and the charts, which the package holds after the worksheets: every run
    is computed once, not once more ahead of the rows. `compared` sets the learning rates and
    hyperparameters of the Optimizers sheet's blocks (see `describe_optimizers`).
    Refuses, before anything is written, a run whose workbook would not fit a sheet or what
    Excel takes (see `fit`).
    """
    sheet = fitting_sheet(run)
    noted = Noted(run)
    optimizers = None if run.rule is GRADIENT_DESCENT else describe_optimizers(run, compared)
    workbook, skeleton = _skeleton(sheet, optimizers)
    end = last_row(run.attempts)
    leading = panel_cells(skeleton, sheet.panel, {"loss_threshold": run.loss_threshold,
                                                  "gradient_step": run.gradient_step,
                                                  **run.rule.settings(run.settings)}, (), end)
    leading[POINTER_ROW] = cell_xml(f"A{POINTER_ROW}", skeleton.label_style,
                                    f"Summary and charts: {CHARTS_SHEET_NAME} sheet")
    rows = SheetRows(sheet.columns, skeleton.training_styles, sheet.rows(), sheet.constants(),
                     leading, shared_formulas=True, watcher=noted)
    last_letter = sheet.columns[-1].letter
    streamed = {TRAINING_PART: StreamedSheet(
        rows, f"{last_letter}{max(end, sheet.panel.last_row)}", progress)}
    exact = {TRAINING_PART: {sheet.panel.inputs[0].cell: run.learning_rate},
             DATA_PART: {**{cell: value for cells, sample in zip(sheet.sample_cells, run.samples)
                            for cell, value in zip(cells, sample.inputs + sample.targets)},
                         **{initial.cell: initial.value for initial in sheet.initial_cells}}}
    late = {CHARTS_PART: lambda xml: _summary_cells(xml, sheet, noted.summary(), end),
            LOG_CHART_PART: lambda xml: _log_axis(xml, noted.losses.decades())}
    if run.gradient_step is not None:
        late[CHECK_CHART_PART] = lambda xml: _log_axis(xml, noted.differences.decades())
    if optimizers is not None:
        compared = LossRange(tuple(index for index, field in enumerate(optimizers.rows().fields)
                                   if field.endswith(" loss")))
        streamed[OPTIMIZERS_PART] = _optimizers_rows(skeleton, optimizers, compared)
        exact[OPTIMIZERS_PART] = {optimizers.panel.inputs[0].cell:
                                  optimizers.blocks[0].sheet.run.learning_rate}
        late[optimizers_chart_part(run)] = lambda xml: _log_axis(xml, compared.decades())
    write_package(workbook, target, streamed, exact, late)
    return noted.summary()


def _optimizers_rows(skeleton: parts.Skeleton, optimizers: OptimizersSheet,
                     losses: "LossRange") -> StreamedSheet:
    """The Optimizers sheet's rows, with column A's inputs (the first is in the skeleton)."""
    inputs = {entry.field: value for block in optimizers.blocks
              for entry, value in zip(block.inputs, (block.sheet.run.learning_rate,
                                                     *block.sheet.run.settings.values()))}
    end = last_row(optimizers.attempts)
    rows = SheetRows(optimizers.columns, skeleton.optimizers_styles, optimizers.rows(),
                     optimizers.constants(), panel_cells(skeleton, optimizers.panel, inputs, (),
                                                         end), shared_formulas=True,
                     watcher=losses)
    return StreamedSheet(rows, f"{optimizers.columns[-1].letter}"
                               f"{max(end, optimizers.panel.last_row)}")


class Noted:
    """What the Charts sheet shows of a run, noted as its rows are computed: how it ends, the
    gradient check's largest difference, and the ranges of its losses and of the check's
    differences. A `Watcher` of the Training sheet's rows."""

    def __init__(self, run: Run):
        fields = network.field_names(run)
        self.ending = Ending(run.loss_threshold)
        self.checked = network.Checked(run.loss_threshold)
        self.number_at, self.loss_at = fields.index("attempt"), fields.index("loss")
        checked = run.gradient_step is not None
        self.largest_at = fields.index(network.LARGEST_DIFFERENCE) if checked else None
        self.losses = LossRange((self.loss_at,))
        self.differences = LossRange(tuple(
            fields.index(network.difference_field(parameter))
            for parameter in network.parameter_names(run.network)) if checked else ())

    def see(self, values: tuple) -> None:
        self.ending.see(Seen(values[self.number_at], values[self.loss_at]))
        if self.largest_at is not None:
            self.checked.see(values[self.loss_at], values[self.largest_at])
            self.differences.see(values)
        self.losses.see(values)

    def summary(self) -> network.Summary:
        ending = self.ending
        return network.Summary(ending.last.loss, ending.first_below, ending.status,
                               self.checked.largest)


class LossRange:
    """The smallest positive and the largest of the losses (or any positive values) in the
    fields at `at` of a sheet's rows, noted as they are computed, for a log axis. A
    `Watcher`."""

    def __init__(self, at: tuple[int, ...]):
        self.at = at
        self.smallest, self.largest = math.inf, 0.0

    def see(self, values: tuple) -> None:
        for index in self.at:
            loss = values[index]
            if 0 < loss < self.smallest:
                self.smallest = loss
            if loss > self.largest:
                self.largest = loss

    def decades(self) -> tuple[float, float]:
        """Whole decades around the losses (no engine scales a log axis well by itself below
        about 1e-33)."""
        largest = max(self.largest, 1e-300)
        smallest = min(self.smallest, largest / 10)
        return (10.0 ** max(math.floor(math.log10(smallest)), -300),
                10.0 ** min(math.ceil(math.log10(largest)) + 1, 300))


class Seen(NamedTuple):
    """An attempt as `Ending` needs to know it."""

    number: int
    loss: float


PLACEHOLDER_RANGE = (1e-299, 1e299)
"""The log axis's range until the run has been computed (see `_log_axis`)."""


def _summary_cells(xml: bytes, sheet: NetworkSheet, summary: network.Summary,
                   end: int) -> bytes:
    """Each summary cell of the Charts sheet with its formula and the reference's result."""
    for result in sheet.summary:
        pattern = f'<c r="{result.cell}" s="([0-9]+)"[^>]*>.*?</c>'.encode()
        match = re.search(pattern, xml)
        assert match, f"the Charts sheet has no {result.cell}"
        cell = cell_xml(result.cell, int(match.group(1)), result.shown(summary),
                        result.formula_for(end), result.array)
        xml = xml[:match.start()] + cell.encode() + xml[match.end():]
    return xml


def _log_axis(xml: bytes, decades: tuple[float, float]) -> bytes:
    for placeholder, value in zip(PLACEHOLDER_RANGE, decades):
        old, new = f'val="{placeholder!r}"'.encode(), f'val="{value!r}"'.encode()
        assert xml.count(old) == 1, f"the log-scale chart has no placeholder {placeholder!r}"
        xml = xml.replace(old, new)
    return xml


def _skeleton(sheet: NetworkSheet, optimizers: OptimizersSheet | None):
    run = sheet.run
    workbook = parts.new_workbook("A small neural network learning by backpropagation")
    skeleton = parts.Skeleton(workbook)
    training = workbook.active
    attempt_group = sheet.groups[0]
    frozen = parts.column_after(attempt_group.columns[-1].letter, 2)
    skeleton.training_styles = parts.lay_out_training_sheet(
        skeleton, training, sheet.groups, sheet.spacers, sheet.panel, run.learning_rate,
        f"{frozen}{FIRST_ROW}")
    printed_group = sheet.groups[1]
    parts.set_up_printing(training, TITLE, run_line(run),
                          f"A1:{printed_group.columns[-1].letter}{PRINTED_ROWS}")
    _lay_out_charts(workbook.create_sheet(CHARTS_SHEET_NAME), sheet)
    _lay_out_data(workbook.create_sheet(DATA_SHEET_NAME), sheet)
    notes = workbook.create_sheet(network_notes.NOTES_SHEET_NAME)
    network_notes.write_notes(notes, sheet, HEADER_FONT)
    parts.set_up_printing(notes, TITLE, run_line(run), title_rows=None)
    parts.name_panel_inputs(workbook, sheet.panel)
    for initial in sheet.initial_cells:
        workbook.defined_names[initial.name] = DefinedName(
            initial.name, attr_text=data_reference(initial.cell))
    if optimizers is not None:
        skeleton.optimizers_styles = _lay_out_optimizers(
            skeleton, workbook.create_sheet(OPTIMIZERS_SHEET_NAME), optimizers)
    return workbook, skeleton


def _lay_out_optimizers(skeleton: parts.Skeleton, sheet,
                        optimizers: OptimizersSheet) -> dict[str, int]:
    """Column A's inputs of every block, the blocks' headers, and the chart of their losses
    beside column A."""
    blocks = optimizers.blocks
    styles = parts.lay_out_training_sheet(
        skeleton, sheet, optimizers.groups, optimizers.spacers, optimizers.panel,
        blocks[0].sheet.run.learning_rate, f"B{FIRST_ROW}", OPTIMIZERS_SHEET_NAME)
    sheet.column_dimensions["A"].width = OPTIMIZERS_PANEL_WIDTH
    end = last_row(optimizers.attempts)
    attempts = parts.data_range(OPTIMIZERS_SHEET_NAME, blocks[0].sheet.letter("attempt"), end)
    series = [parts.line_series(block.optimizer.title, attempts,
                                parts.data_range(OPTIMIZERS_SHEET_NAME,
                                                 block.sheet.letter("loss"), end),
                                colour, literal=True)
              for block, colour in zip(blocks, COLOURS)]
    chart = parts.scatter_chart("Loss under each optimizer, log scale", "Loss",
                                optimizers.attempts, series,
                                log_range=PLACEHOLDER_RANGE)
    chart.width, chart.height = 2 * CHART_WIDTH_CM, 2 * CHART_HEIGHT_CM
    chart.legend.position = "r"
    sheet.add_chart(chart, "C3")
    # Its printout is the chart beside the inputs: four blocks of numbers do not fit a page.
    parts.set_up_printing(sheet, TITLE, run_line(blocks[0].sheet.run, optimizer=False),
                          f"A1:{parts.column_after('C', CHART_COLUMNS)}{3 + 2 * CHART_ROWS}")
    return styles


def _lay_out_charts(charts, sheet: NetworkSheet) -> None:
    """The summary in column A; the loss, linear and log, and each sample's output against
    its target beside it."""
    run = sheet.run
    _heading(charts, 1, "Summary")
    charts.column_dimensions["A"].width = parts.PANEL_WIDTH
    for result in sheet.summary:
        charts.cell(result.row - 1, 1, result.label).font = LABEL_FONT
        value = charts[result.cell]
        value.value = 0   # a placeholder: the result is written once the rows are computed
        value.number_format = result.number_format
        parts.apply_style(value, RESULT_FONT, RESULT_FILL, BOXED, Alignment(horizontal="center"))
        if result.note:
            note = charts.cell(result.row + 1, 1, result.note)
            parts.apply_style(note, LABEL_FONT, alignment=Alignment(wrap_text=True,
                                                                     vertical="top"))
            charts.row_dimensions[result.row + 1].height = NOTE_LINE_HEIGHT * math.ceil(
                len(result.note) / NOTE_LINE_CHARACTERS)
    end = last_row(run.attempts)
    attempts = parts.data_range(SHEET_NAME, sheet.letter("attempt"), end)

    def line(field: str, label: str, colour: str, dashed: bool = False):
        series = parts.line_series(label, attempts,
                                   parts.data_range(SHEET_NAME, sheet.letter(field), end),
                                   colour, literal=True)
        if dashed:
            series.graphicalProperties.line.dashStyle = "dash"
        return series

    pairs = [(prefix, k) for prefix in network.pass_prefixes(run)
             for k in range(run.network.sizes[-1])][:MOST_OUTPUT_SERIES]
    outputs = []
    for (prefix, k), colour in zip(pairs, COLOURS):
        me = run.network.neuron(len(run.network.sizes) - 1, k)
        name = f"{prefix}{me}" if prefix else f"{me} of the row's sample"
        outputs += [line(f"{prefix}{me} out", name, colour),
                    line(f"{prefix}t{k + 1}", f"{name} target", colour, dashed=True)]
    made = [
        parts.scatter_chart("Loss falling", "Loss", run.attempts,
                            [line("loss", "Loss", LOSS_COLOUR)]),
        parts.scatter_chart("Loss, log scale", "Loss", run.attempts,
                            [line("loss", "Loss", LOSS_COLOUR)],
                            log_range=PLACEHOLDER_RANGE),
        parts.scatter_chart("Outputs (solid) and targets (dashed)", "Output", run.attempts,
                            outputs),
    ]
    if run.gradient_step is not None:   # the first six parameters' differences at most
        headers = {col.field: col.header for col in sheet.columns}
        made.append(parts.scatter_chart(
            "Gradient check: relative differences, log scale", "Relative difference",
            run.attempts, [line(network.difference_field(parameter), headers[parameter], colour)
                           for parameter, colour in zip(
                               network.parameter_names(run.network), COLOURS)],
            log_range=PLACEHOLDER_RANGE))
    for chart in made[2:]:
        chart.legend.position = "r"
        chart.width = 2 * CHART_WIDTH_CM
    for index, chart in enumerate(made[:2]):
        charts.add_chart(chart, f"{parts.column_after('C', index * 9)}1")
    for index, chart in enumerate(made[2:], start=1):
        charts.add_chart(chart, f"C{index * (CHART_ROWS + 1) + 1}")
    parts.set_up_printing(charts, TITLE, run_line(run),
                          f"A1:T{(len(made) - 1) * CHART_ROWS + 2 + round(CHART_HEIGHT_CM)}",
                          title_rows=None)


def _heading(sheet, row: int, text: str, span: int = 1) -> None:
    """A title in column A of `row`, across `span` columns."""
    cell = sheet.cell(row, 1, text)
    parts.apply_style(cell, GROUP_FONT, GROUP_FILL, alignment=CENTRED)
    if span > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)


def _header(sheet, row: int, texts: list[str]) -> None:
    for index, text in enumerate(texts):
        cell = sheet.cell(row, 1 + index, text)
        parts.apply_style(cell, HEADER_FONT, HEADER_FILL, HEADER_BORDER, CENTRED)


def _input(sheet, cell: str, value: float, what: str, meaning: str) -> None:
    sheet[cell] = value
    parts.apply_style(sheet[cell], **INPUT_LOOK)
    parts.validate(sheet, cell, -LIMIT, LIMIT, what[:32], meaning)


def _lay_out_data(data, sheet: NetworkSheet) -> None:
    """The shape the formulas were built for, the samples, the initial weights and biases."""
    run = sheet.run
    net = run.network
    width = max(net.sizes[0] + net.sizes[-1], *(size + 1 for size in net.sizes[:-1]))
    _heading(data, 1, "The network (fixed: the formulas are built for it)", 1 + width)
    shape = {"layers": ("Layers", ",".join(map(str, net.sizes))),
             "activations": ("Activations", ",".join(net.activations)),
             "batch": ("Batch", run.batch)}
    if run.rule is not GRADIENT_DESCENT:   # plain gradient descent's workbook says nothing
        shape["optimizer"] = ("Optimizer", run.optimizer)
    for key, (label, value) in shape.items():
        data.cell(SHAPE_ROWS[key], 1, label).font = LABEL_FONT
        data.cell(SHAPE_ROWS[key], 2, value).alignment = Alignment(horizontal="left")

    _heading(data, SAMPLES_TITLE_ROW, "Samples (type new values here)", 1 + width)
    _header(data, SAMPLES_HEADER_ROW,
            ["Sample"] + [net.neuron(0, i) for i in range(net.sizes[0])]
            + [f"t{k + 1}" for k in range(net.sizes[-1])])
    for s, (cells, sample) in enumerate(zip(sheet.sample_cells, run.samples), start=1):
        data.cell(SAMPLES_HEADER_ROW + s, 1, s).alignment = Alignment(horizontal="center")
        for cell, value, header in zip(cells, sample.inputs + sample.targets,
                                       [net.neuron(0, i) for i in range(net.sizes[0])]
                                       + [f"t{k + 1}" for k in range(net.sizes[-1])]):
            _input(data, cell, value, f"Sample {s}, {header}",
                   "An input of the sample." if header.startswith("x") else "Its target.")

    first_table = sheet.layer_tables[0][0]
    _heading(data, first_table - 1, "Initial weights and biases (named cells)", 1 + width)
    by_cell = {initial.cell: initial for initial in sheet.initial_cells}
    for layer, (row, title) in enumerate(sheet.layer_tables, start=1):
        before = [net.neuron(layer - 1, i) for i in range(net.sizes[layer - 1])]
        _header(data, row, [f"{title}: into ↓ from →"] + before + ["bias"])
        for j in range(net.sizes[layer]):
            data.cell(row + 1 + j, 1, net.neuron(layer, j)).alignment = \
                Alignment(horizontal="center")
            for column in range(len(before) + 1):
                cell = f"{parts.column_after('B', column)}{row + 1 + j}"
                initial = by_cell[cell]
                _input(data, cell, initial.value, initial.name,
                       f"The initial {initial.parameter} (named {initial.name}).")
    data.column_dimensions["A"].width = 34
    for index in range(width):
        data.column_dimensions[parts.column_after("B", index)].width = 12
    parts.set_up_printing(data, TITLE, run_line(run), title_rows=None)
