"""The Notes sheet: what each column is, the maths behind it, and experiments to try.

Paragraphs are wrapped into one line per row rather than one wrapped cell, because no engine
sizes a merged, wrapped cell to its text: lines in plain cells read and print the same
everywhere. The experiments' outcomes are computed by the reference for the workbook's own
parameters.
"""

import textwrap
from dataclasses import replace

from openpyxl.styles import Alignment, Font

from sheetgen.maths.neuron import Parameters, summarize, train
from sheetgen.sheets import panel, sweep
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW
from sheetgen.sheets.exercise import Exercise, exercise_notes, formula_shown

NOTES_SHEET_NAME = "Notes"
LINE_WIDTH = 195
"""Characters a paragraph line may take: it overflows from column A across the empty cells."""
STEP_INDENT = 1.25
"""Characters of a paragraph's line that a column-width unit of column A takes: a step's
text, from column B, is that much shorter."""
MEANING_WIDTH = 90
ARTICLE_COLUMNS = {"A": 16, "B": 20, "C": 36, "D": 104}
"""The article's Notes, whose headers and names are short: their meanings the wider."""
GAP_POINTS = 5
NOTES_COLUMNS = {"A": 16, "B": 30, "C": 36, "D": MEANING_WIDTH + 2}
"""The widths of the column table's columns: the letter, the header, the formula and the
meaning; a paragraph runs across all four."""
TITLE_FONT = Font(bold=True, size=16, color="1F4E79")
SECTION_FONT = Font(bold=True, size=12, color="1F4E79")
MONO_FONT = Font(name="DejaVu Sans Mono", size=10)

INTRODUCTION = (
    "This workbook trains one artificial neuron to multiply a number by ten. Each row of the "
    "Training sheet is one attempt: the neuron computes an output from its weight and bias, "
    "compares it with the target, works out which way to nudge the weight and the bias to do "
    "better, and hands the nudged values to the next row. Reading down the rows you watch it "
    "learn. Every cell is a live formula: change an orange input cell in column A and the "
    "whole sheet, its charts and the summary follow.",
    "It rebuilds the sheet of part 3 of Chris Hulbert's blog series on neural networks from "
    "scratch ('single neuron training'), where the learning rate lives in A2 under the name "
    "LEARNING_RATE; sheetgen adds the other named inputs, the summary and these notes.",
)

MATHS = (   # a step, its words, and where it has one, its column and the column's formula
    ("Forward", "net = input × weight + bias;  output = tanh(net);  error = output − target;  "
                "loss = error² / 2"),
    ("Loss → output", "d loss / d output = error, the derivative of error² / 2."),
    ("Output → net", "d output / d net = 1 − output², the slope of tanh, written with the "
                     "output the row already has."),
    ("Bias gradient", "d net / d bias = 1, so by the chain rule the bias gradient is "
                      "error × (1 − output²)", "J", "=P*(1-L^2)"),
    ("Weight gradient", "d net / d weight = input, so the weight gradient is the bias "
                        "gradient times the input", "H", "=J*F"),
    ("Update", "next weight = weight − weight gradient × learning rate, and the same for the "
               "bias: a step downhill on the loss (columns G and I from row 4)."),
)

LEARNING_RATE_TEXT = (
    "The gradients say which way is downhill and how steep it is; the learning rate says how "
    "far to step. Too small and the neuron creeps towards the target; larger and it gets "
    "there in fewer attempts; too large and each step overshoots the bottom of the valley, so "
    "the error swings from one side to the other. Overshoot a little and the swings die away; "
    "overshoot a lot and they never settle, or one huge step throws the neuron onto the flat "
    "tail of tanh, where the slope — and so every gradient — is all but zero.",
)

EXPERIMENTS = (
    (0.5, "A bigger step than the article's 0.1 gets there several times sooner."),
    (1, "About the best single step for this neuron: a handful of attempts."),
    (2, "Each step overshoots: the error changes sign from row to row (column P) before the "
        "swings die down."),
    (5, "The swings never die down: the run turns chaotic. Rounding in the last digit grows, "
        "so two programs may show different numbers late in the run."),
    (50, "The first step throws the bias to about −14, where tanh is flat: the gradients "
         "vanish and the neuron is stuck near −1 for good."),
)

OTHER_SHEETS = (
    "Column A of the Training sheet holds the inputs (orange, each with a name the formulas "
    "use) and a live summary: the final output and loss, the first attempt whose loss falls "
    "below the threshold, and whether the run converged, is diverging or has not converged.",
    f"The {sweep.SWEEP_SHEET_NAME} sheet trains the same neuron at {len(sweep.RATES)} learning "
    "rates side by side, each block with its own orange rate cell, and draws their losses on "
    "one chart. It uses the Training sheet's input, target factor and initial weight and bias.",
)


class Lines:
    """The Notes sheet's rows, one line each: cells, and the font of the whole line."""

    def __init__(self, columns: dict[str, int] = NOTES_COLUMNS):
        self.rows: list[tuple[tuple, Font | None]] = []
        self.columns, self.meaning_width = columns, columns["D"] - 2

    def add(self, *cells, font: Font | None = None) -> None:
        """A row of `cells`; a column's meaning, the fourth cell, wrapped onto the rows below
        it, so that the page stays narrow enough to print readably."""
        if len(cells) == 4 and isinstance(cells[3], str) and \
                len(cells[3]) > self.meaning_width:
            first, *more = textwrap.wrap(cells[3], self.meaning_width)
            self.rows.append(((*cells[:3], first), font))
            self.rows.extend((("", "", "", line), font) for line in more)
            return
        self.rows.append((cells, font))

    def step(self, name: str, text: str) -> None:
        """A named step: its name in column A, its text from column B, wrapped onto the rows
        below within a paragraph's line less column A (a step's text otherwise runs off
        the printed page)."""
        width = LINE_WIDTH - round(self.columns["A"] * STEP_INDENT)
        first, *more = textwrap.wrap(text, width) or [""]
        self.rows.append(((name, first), None))
        self.rows.extend((("", line), None) for line in more)

    def paragraph(self, text: str) -> None:
        for wrapped in textwrap.wrap(text, LINE_WIDTH):
            self.add(wrapped)
        self.add()

    def write(self, sheet) -> None:
        for number, (cells, font) in enumerate(self.rows, start=1):
            if not cells:   # the space between paragraphs: half a line
                sheet.row_dimensions[number].height = GAP_POINTS
            for index, value in enumerate(cells, start=1):
                cell = sheet.cell(number, index, value)
                cell.alignment = Alignment(horizontal="left")
                if font is not None:
                    cell.font = font
                elif isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"   # a formula shown as text, not evaluated
                    cell.font = MONO_FONT
        for letter, width in self.columns.items():
            sheet.column_dimensions[letter].width = width
        sheet.print_area = f"A1:D{len(self.rows)}"


def write_notes(sheet, parameters: Parameters, header_font: Font,
                exercise: Exercise | None = None) -> None:
    lines = Lines(ARTICLE_COLUMNS)
    add, paragraph = lines.add, lines.paragraph
    add("How this workbook trains a neuron", font=TITLE_FONT)
    add()
    for text in INTRODUCTION:
        paragraph(text)
    if exercise is not None:
        add("The exercise", font=SECTION_FONT)
        for text in exercise_notes(exercise, COLUMNS[-1].letter):
            paragraph(text)

    add("The columns of the Training sheet", font=SECTION_FONT)
    add("Column", "Header", "Formula in row 4", "What it is", font=header_font)
    for col in COLUMNS:
        add(col.letter, col.header, formula_shown(col, FIRST_ROW + 1, exercise) or "a number",
            col.meaning)
    add()
    add("The maths of one attempt", font=SECTION_FONT)
    hidden = {col.letter for col in exercise.columns} if exercise and not exercise.answers \
        else set()
    for step, text, *shown in MATHS:
        if shown:   # its column's formula, unless an exercise leaves the column blank
            letter, formula = shown
            text += "." if letter in hidden else f": column {letter}, {formula}."
        add(step, text)
    add()
    add("What the learning rate does", font=SECTION_FONT)
    for text in LEARNING_RATE_TEXT:
        paragraph(text)

    add("Experiments to try: type these into A2", font=SECTION_FONT)
    attempts = min(parameters.attempts, sweep.MOST_ATTEMPTS)
    add("Rate", f"With this workbook's inputs, {attempts:,} attempts", "", "Why",
        font=header_font)
    for rate, why in EXPERIMENTS:
        add(rate, outcome(replace(parameters, learning_rate=rate, attempts=attempts)), "", why)
    add()
    add("The inputs and the other sheets", font=SECTION_FONT)
    for text in OTHER_SHEETS[:1] if exercise is not None else OTHER_SHEETS:
        paragraph(text)
    paragraph("The inputs' cells and the names the formulas use: " + ", ".join(
        f"{entry.label.lower()} {entry.cell}, {entry.name}" for entry in panel.INPUTS) + ".")
    lines.write(sheet)


def outcome(parameters: Parameters) -> str:
    """What a run does, in words, as the summary cells would report it."""
    summary = summarize(train(parameters), parameters.loss_threshold)
    if summary.first_below is not None:
        return (f"loss below {parameters.loss_threshold:g} from attempt {summary.first_below:,}"
                f" ({summary.status})")
    return f"loss never below {parameters.loss_threshold:g} ({summary.status})"
