"""The Notes sheet of a network's workbook: every column with its formula and meaning, the
backpropagation rule for this network in plain words, and the names of the inputs."""

from dataclasses import replace

from openpyxl.styles import Font

from sheetgen.maths.features import FEATURES
from sheetgen.maths.fields import CHECKS, Kind, largest_difference, parameter_field
from sheetgen.maths.training import Attempt, train
from sheetgen.maths.optimizers import GRADIENT_DESCENT, Optimizer
from sheetgen.sheets.exercise import Exercise, exercise_notes
from sheetgen.sheets.boundary import BOUNDARY_SHEET_NAME, has_boundary
from sheetgen.sheets.gradient_check import STEP_NAME
from sheetgen.sheets import image_notes
from sheetgen.sheets.network_data import DATA_SHEET_NAME, feature_cells
from sheetgen.sheets.network_sheet import NetworkSheet
from sheetgen.sheets.classified import has_pictures
from sheetgen.sheets.pictures import PICTURES_SHEET_NAME, SCALE_CELL
from sheetgen.sheets.shown import SHOW_CELL, SHOW_NAME
from sheetgen.sheets.notes_columns import MOST_LISTED_PARAMETERS, column_table
from sheetgen.sheets.notes import (
    NOTES_SHEET_NAME,
    SECTION_FONT,
    TITLE_FONT,
    Lines,
)
from sheetgen.sheets.optimizer_columns import UPDATES
from sheetgen.sheets.optimizers_sheet import OPTIMIZERS_SHEET_NAME
from sheetgen.sheets.sweep import MOST_ATTEMPTS

__all__ = ["NOTES_SHEET_NAME", "write_notes"]


def introduction(sheet: NetworkSheet) -> tuple[str, ...]:
    run = sheet.run
    net = run.network
    n, k = len(run.samples), run.batch_size
    if run.full_batch:
        batch = (f"Each row of the Training sheet is one attempt over all {n} samples: every "
                 "sample goes forward and backward through the network side by side, the "
                 "gradients are averaged over them, and the weights and biases take one step.")
    elif run.mini_batch:
        batch = (f"Each row of the Training sheet trains on a mini-batch of {k} of the {n} "
                 f"samples, side by side: an epoch goes through the samples in order, cut "
                 f"into {run.epoch} batches of {k}"
                 + (f", the last one of {n % k}" if run.uneven else "")
                 + ", one batch a row (columns Epoch and Batch count them, and each place's "
                 "sample column picks its sample from the Data sheet). The gradients and the "
                 "loss are averaged over the batch, and the weights and biases take one step."
                 + (" In the epoch's last batch the places past its last sample hold the "
                    "first samples again, so that every row has the same columns; their "
                    "counts column is 0, which takes them out of the loss, the accuracy and "
                    "every gradient, and the means divide by the Size column." if run.uneven
                    else ""))
    else:
        batch = (f"Each row of the Training sheet trains on one of the {n} samples, in turn "
                 "(column Sample picks it from the attempt number), and steps the weights and "
                 "biases on that sample's gradients alone.")
    if run.orders:
        batch += (f" The samples are shuffled: each epoch visits them in an order of its own, "
                  f"the numbers in the {DATA_SHEET_NAME} sheet's table right of the samples "
                  f"({len(run.orders)} orders, used again in turn after the last), drawn from "
                  "the seed, never RAND(). Type another order there and the sheet retrains: "
                  "a sample may even come twice, or not at all.")
    return (
        f"This workbook trains a network of {net.parameter_count} weights and biases, with "
        + image_notes.layers_words(net) + batch
        + " Every cell is a live formula: change the learning rate in A2, a sample or "
        f"an initial weight on the {DATA_SHEET_NAME} sheet, and every row, the summary and the "
        "charts follow.",
        "It generalises the single neuron of part 3 of Chris Hulbert's blog series on neural "
        "networks from scratch: with one input, one tanh neuron and the article's sample, "
        "the row is the article's, number for number.",
    )


def feature_notes(sheet: NetworkSheet) -> tuple[str, ...]:
    """What the network's inputs are, where they are features of each sample's point."""
    run = sheet.run
    listed = "; ".join(f"{FEATURES[name].label}, {FEATURES[name].words}"
                       for name in run.network.features)
    cells = feature_cells(run)[0]
    return (
        f"Each sample is a point of the plane, (x1, x2), typed on the {DATA_SHEET_NAME} sheet; "
        f"the network's inputs are features of it, worked out right of the samples ("
        f"{cells[0]} to {cells[-1]} for sample 1): {listed}. A feature such as x1² lets a "
        "single neuron draw a curved boundary where the coordinates alone would need a "
        "hidden layer: the TensorFlow Playground's lesson of feature crosses.",
        "Every feature is a live formula of its point, so typing a new coordinate moves the "
        "features, and with them every row."
        + (" They are standardised as the inputs of other data are, with the training "
           "samples' means and deviations." if run.standardize else ""),
    )


def boundary_notes(sheet: NetworkSheet) -> tuple[str, ...]:
    """What the Boundary sheet draws and how to make it redraw."""
    run = sheet.run
    classes = run.classes or ("a low target", "a high one")
    return (
        f"The {BOUNDARY_SHEET_NAME} sheet draws what the network sees across the plane, as "
        f"the TensorFlow Playground does. Type an attempt into {SHOW_CELL} (named {SHOW_NAME}): "
        "a table reads that row's weights and biases from the Training sheet by INDEX, and a "
        "grid of points over the samples' range runs them forward, each point a formula of "
        "its coordinates (the grid's table lists them).",
        "Each hidden neuron has a small map of its output, orange below 0 and blue above, "
        "laid out layer by layer; the large map is what the network says, orange for "
        f"{classes[0]}, blue for {classes[-1]}, pale where it is undecided. The colours are "
        "conditional formats of the cells, whose numbers are hidden; the chart beside it "
        "draws the samples on the same axes, the test samples as triangles, a cross on each "
        "one the network has on the wrong side at that attempt, and the table below gives "
        "each sample's verdict.",
        "Because every map is a formula of the Training sheet, a new learning rate, sample or "
        "initial weight redraws the picture too, at whichever attempt it shows.",
    )


def pictures_notes(sheet: NetworkSheet) -> tuple[str, ...]:
    """What the Pictures sheet draws and how to make it redraw."""
    run = sheet.run
    width, height = run.network.image
    first = "hidden neuron" if run.network.last > 1 else "class's output"
    shown = "test" if run.tests else "training"
    return (
        f"The {PICTURES_SHEET_NAME} sheet shows what the network sees in the {width}×{height} "
        f"pictures. Type an attempt into {SHOW_CELL} (named {SHOW_NAME}): a table reads that "
        "row's weights and biases from the Training sheet by INDEX, and a row per sample "
        "runs every training and test image forward with them.",
        f"Each {first} has a picture of its weights, one square per pixel, orange below 0 "
        f"and blue above, deepest from half the largest weight's size ({SCALE_CELL}): the "
        "strokes "
        f"it looks for. The gallery draws the first {shown} images in greys, each with the "
        "class the network says, how sure it is (its probability), and a red ✗ with the "
        "true class where it is wrong; the confusion matrix counts every training and test "
        "sample, its class down and the answer across.",
        "Everything there is a formula: typing a pixel on the Data sheet redraws its image, "
        "its answer and the counts, and the training that follows from it.",
    )


def _input_names(net) -> str:
    """The data's names for the inputs, where it names them: ` (x1 sepal length, …)`."""
    if not net.input_names:
        return ""
    return f" ({', '.join(net.typed_input(c) for c in range(net.typed_inputs))})"


def backpropagation(sheet: NetworkSheet) -> tuple[tuple[str, str], ...]:
    net = sheet.run.network
    record = net.layers[len(net.stack)]   # the dense layers' words stand for them all
    names = {"x": "inputs", "h": "hidden neurons", "o": "output neurons"}
    dense = len(net.sizes) - len(net.stack)   # the dense layers' sizes, the inputs' included
    outputs = (f"the {names['o']} are named after their classes ({', '.join(net.outputs)})"
               if net.outputs else f"o1 … the {names['o']}")
    steps = [
        ("Labels", "x1, x2 … are the " + names["x"] + _input_names(net) + ", " + outputs
         + ("; h1 … the hidden neurons" if dense == 3 else
            "; h2.3 is neuron 3 of hidden layer 2" if dense > 3 else "") + "."),
        ("Forward", f"net = {record.net_words}; out = f(net), where f is the layer's "
                    "activation."),
        *image_notes.image_steps(net),
    ]
    for layer, (activation, kind) in enumerate(zip(sheet.run.activations, net.layers), 1):
        if kind.activated:
            steps.append((f"Layer {layer}", f"{activation.name}: out is {activation.words}; "
                                            f"its slope is {activation.slope_words}."))
    loss = sheet.run.criterion
    steps += [
        ("Error and loss", loss.rule_words),
        ("δ of an output", loss.delta_words),
        ("δ of a hidden one", f"δ = ({record.back_words}) × its own slope, with the weights "
                              "this attempt used: the error flows back along the weights. "
                              "This is the chain rule, one layer at a time."),
        *image_notes.image_back_steps(net),
        ("Gradients", f"{record.gradient_words}{image_notes.image_gradient_words(net)}. "
                      "Averaged over the row's samples"
                      + "".join(f", plus {penalty.slope_words} ({penalty.cell})"
                                for penalty, _ in sheet.run.penalties) + "."),
        update_step(sheet.run.rule,
                    "LEARNING_RATE" if sheet.run.lr_decay is None else "Rate"),
    ]
    return tuple(steps)


def classification_notes(sheet: NetworkSheet) -> tuple[str, ...]:
    """Why the cross-entropy, why its δ is the error, and how to read the verdicts, the
    accuracy and the confusion matrix; in this run's terms."""
    run = sheet.run
    softmax = not run.activations[-1].elementwise
    holder = "A row holds its batch" if run.mini_batch else \
        "One sample at a time, each row holds one sample"
    one_at_a_time = "" if run.full_batch else (
        f" {holder}'s verdicts, so the summary and the matrix take each sample at the last "
        f"attempt that saw it (the last {run.epoch} rows, an epoch), and 'right in a row' "
        f"counts the rows since the last one with a wrong answer: once it reaches "
        f"{run.epoch}, every sample was right.")
    return (
        "The loss is the cross-entropy: minus the logarithm of the probability the network "
        "gives the right answer. A confident wrong answer costs a great deal (−ln 0.01 ≈ 4.6), "
        "a confident right one almost nothing (−ln 0.99 ≈ 0.01), so it keeps pushing where the "
        "squared error, whose slope fades as a sigmoid saturates, would barely move. "
        "The formulas use LN, the natural logarithm; Excel's LOG is base 10 and would scale "
        "the loss and every gradient by 1/ln 10.",
        "Its δ at an output is simply out − target, the error: the cross-entropy's slope "
        "(−t/y, plus (1 − t)/(1 − y) for a sigmoid) times the "
        + ("softmax's slopes, summed over its outputs," if softmax else "sigmoid's slope y(1 − y)")
        + " comes to exactly y − t. The two slopes cancel, so the δ column holds =error and "
        "no slope factor, and the hidden layers' δs follow as always.",
        *(("Softmax turns the output layer's nets into probabilities that add up to 1: each "
           "output is EXP of its net over the sum of EXP of every output's net. Each cell "
           "first subtracts the largest net (MAX), which changes nothing mathematically and "
           "keeps EXP from overflowing; the sum is written out term by term.",) if softmax
          else ()),
        "Each sample gets a verdict in its row: its class (from its targets), the class the "
        "network picks (" + ("the output with the largest probability, the first on a tie"
                             if softmax else "the second class where the output is at least "
                             "0.5, the first below") + ") and whether the two agree (right, 1 "
        "or 0). Accuracy is the share of the row's samples that are right. The Charts sheet "
        "draws it beside the loss, and below the charts a confusion matrix counts, for each "
        "true class (a row), how many samples got each class picked (a column): the diagonal "
        "holds the right ones, every other cell a kind of mistake." + one_at_a_time,
        "An output of exactly 0 or 1 has no logarithm (LN(0) is #NUM!). A sigmoid reaches 1 "
        "in doubles once its net passes about 37; sheetgen refuses such a run, naming the "
        "attempt, rather than clip the probabilities, so that every cell is the plain formula "
        "it shows. Typing a much larger learning rate can still drive a sheet there.",
    )


def regularisation_notes(sheet: NetworkSheet) -> tuple[str, ...]:
    """What the penalties do to the loss and the gradients, and what a decaying rate does;
    those this run has."""
    run, notes = sheet.run, []
    if run.penalties:
        terms = "; ".join(f"{penalty.name.upper()}, {penalty.words} (λ in {penalty.cell}), "
                          f"which adds {penalty.slope_words} to each weight's gradient"
                          for penalty, _ in run.penalties)
        notes += [
            "A network with many weights can fit its training samples, noise and all, and "
            "then answer badly on samples it has not seen: it over-fits. A penalty on the "
            "size of the weights fights that. It is added to the loss (the Penalty column), "
            "and its slope to each weight's gradient, so every step also pulls each weight "
            f"towards 0: {terms}. The biases are not penalised, as in the TensorFlow "
            "Playground and PyTorch's weight_decay.",
            "L2 shrinks every weight in proportion to its size, so large weights shrink fast "
            "and none quite reaches 0; L1 pulls every weight by the same amount, so the "
            "weights that matter little end at 0 (or hover around it: SIGN flips as a "
            "weight crosses 0). A λ of 0 switches a penalty off while its formulas stay in "
            "the sheet: type a λ into its cell and watch the loss and the weights follow. "
            "Too large a λ leaves the weights too small to fit even the training samples.",
        ]
    if run.lr_decay is not None:
        notes.append(
            "The learning rate decays: the Rate column is LEARNING_RATE × LR_DECAY^INT((attempt "
            "− 1) / LR_DECAY_EVERY), the learning rate multiplied by γ once every N attempts, "
            "and each update steps with the rate of the row it comes from. Large steps early "
            "cover ground; small steps late settle into a minimum instead of bouncing around "
            "it. A γ of 1 keeps the rate as it is.")
    return tuple(notes)


def test_set_notes(sheet: NetworkSheet) -> tuple[str, ...]:
    """What the held-out test samples are, and what their loss beside the training loss
    shows; none without them."""
    run = sheet.run
    if not run.tests:
        return ()
    m, classifies = len(run.tests), run.criterion.classifies
    first = next(group for group in sheet.groups if group.columns[0].field.held_out)
    notes = [
        f"The {m} test samples on the {DATA_SHEET_NAME} sheet are held out: no gradient reads "
        f"them, so the network never trains on them. Each row runs them forward with its "
        f"own weights (the groups from column {first.columns[0].letter}, \"Test sample 1\" "
        "on) and averages their losses in the Test loss column"
        + (", and the share of them classified right in Test accuracy." if classifies
           else "."),
        "Read the two losses together on the Charts sheet. While the network learns what "
        "the samples have in common, both fall. Where the training loss keeps falling and "
        "the test loss turns up, the network has begun to learn its training samples by "
        "heart, noise and all: it over-fits, and answers worse on data it has not seen. The "
        "summary gives the attempt with the lowest test loss; stopping there (early "
        "stopping) keeps the network that generalises best. A penalty on the weights, "
        "fewer hidden neurons or more training samples keep the test loss down.",
    ]
    if run.penalties:
        notes.append("The Loss column includes the penalty on the weights; the Test loss "
                     "does not, as it measures how well the network fits data alone.")
    return tuple(notes)


def update_step(rule: Optimizer, rate: str = "LEARNING_RATE") -> tuple[str, str]:
    """The update rule in words, with the learning rate's cell, or the Rate column's where
    the rate decays."""
    if rule is GRADIENT_DESCENT:
        return ("Update", f"next w = w − ∂w × {rate}, the same for every bias: a step "
                          "downhill on the loss, taken in the next row.")
    roles = {name: name for name in (*rule.states, *rule.hyperparameters)}
    formula = UPDATES[rule.name].format(p="w", g="∂w", rate=rate, t="t", **roles)
    return ("Update", f"{rule.title}: next w = {formula[1:]}, the same for every bias, taken in "
                      "the next row (see The optimizer).")


def optimizer_notes(sheet: NetworkSheet, compared: bool = True) -> tuple[str, ...]:
    """What the optimizer does to a step and why, and, where the workbook has one (an
    exercise has not), what the Optimizers sheet shows."""
    rule = sheet.run.rule
    first = sheet.initial_cells[0].parameter
    states = ", ".join(sheet.column(parameter_field(first, Kind.STATE, state)).header
                       for state in rule.states)
    return (
        rule.words,
        f"Its state sits beside each weight and bias and its gradient (such as {states}), one "
        "column per number it keeps; before the first attempt every state is 0, so the first "
        "row's formula leaves that term out. Its hyperparameters are the named cells in "
        "column A; type a new value there and every row follows.",
        f"{GRADIENT_DESCENT.words} Against it: momentum and Adam reach a low loss in far fewer "
        "attempts on most problems; RMSProp and Adam take steps of about the learning rate "
        "whatever the gradient's size, so their rates are not comparable with plain gradient "
        "descent's.",
    ) + ((f"The {OPTIMIZERS_SHEET_NAME} sheet trains the same network, from the same data "
          "and initial weights, under all four optimizers side by side (at most "
          f"{MOST_ATTEMPTS:,} attempts), each block with its own learning rate and "
          "hyperparameters in column A, and draws their losses on one log-scale chart.",)
         if compared else ())


TRIED_STEPS = (1e-2, 1e-10)
"""Steps either side of the default, whose row-3 differences the Notes give."""


def gradient_check_notes(sheet: NetworkSheet) -> tuple[str, ...]:
    """What the check computes, how far to trust it, and why the summary leaves out the rows
    after convergence; with this run's own numbers."""
    run = sheet.run
    parameter = sheet.initial_cells[0].parameter
    up, down, estimate, difference = (
        sheet.column(parameter_field(parameter, Kind.CHECK, part)).header for part in CHECKS)
    gradient_header = sheet.column(parameter_field(parameter, Kind.GRADIENT)).header

    def first_row(h: float) -> Attempt:
        return next(train(replace(run, gradient_step=h, attempts=1)))

    row = first_row(run.gradient_step)
    check = row.checks[0]
    gradient = row.weight_gradients[0][0][0]   # the first parameter: a weight
    tried = ", ".join(f"{largest_difference(first_row(h)):.1e} with H = {h:g}"
                      for h in dict.fromkeys((TRIED_STEPS[0], run.gradient_step,
                                              TRIED_STEPS[1])))
    return (
        "Beside every gradient, the check estimates it without the chain rule: it moves that "
        f"one weight or bias up by H, the named cell {STEP_NAME}, and down by H, computes the "
        f"row's loss again each time (columns such as {up} and {down}: the forward pass "
        "written out inside one cell, from the moved parameter on), and takes the slope "
        f"between the two, (loss(+H) − loss(−H)) / 2H (column {estimate}). This is the faux "
        "gradient of part 2 of the series, a central finite difference. Where "
        f"backpropagation is right, the two agree; column {difference} says how closely, "
        "relative to the larger of the two.",
        f"In row 3 here, the gradient {gradient_header} is {gradient!r}, its estimate "
        f"{check.estimate!r}: a relative difference of {check.difference:.1e}.",
        "The estimate is only as good as H allows. Its truncation error, from the loss's "
        "curve bending between p − H and p + H, shrinks as H²; its rounding error grows as H "
        "shrinks, for the two losses agree in all but their last digits and their difference "
        "keeps only those: about ε × loss / H, where ε ≈ 2.2e-16 is a double's precision. "
        "The two meet near H ≈ ∛ε ≈ 6e-6, where some nine or ten digits agree; the default 1e-6 is "
        f"near there. Row 3's largest relative difference here is {tried}: try those in "
        f"{STEP_NAME}.",
        "The Charts sheet draws the relative differences on a log scale (of the first six "
        "weights and biases): as a run closes in on its targets its gradients shrink while "
        "the estimate's errors do not, so the differences climb. Once it has converged, the "
        "error is a few units in the output's last place: the gradient is rounding noise, "
        "and so is its estimate, and the ratio of two noises measures nothing (those rows' "
        "relative differences may show anything up to 2, where the two point opposite ways). "
        "So the summary gives the largest relative difference over the attempts whose loss "
        "is at or above the loss threshold only. A gradient that is itself near rounding "
        "noise while the run still learns (a neuron barely used, a weight at a turning point) "
        "shows a large difference too: where the summary is large, look for it in the chart "
        "and the columns.",
        "Each program rounds TANH and EXP in its own last place; divided by 2H, that moves an "
        "estimate in about its tenth digit, so two programs' estimates differ there, while "
        "every other cell agrees to 1e-12.",
    )


def _sections(sheet: NetworkSheet, exercise: Exercise | None
              ) -> list[tuple[str, tuple[str, ...]]]:
    """The sections after backpropagation's that the run has, each a title and paragraphs."""
    run = sheet.run
    sections = (
        (run.rule is not GRADIENT_DESCENT, f"The optimizer: {run.rule.title}",
         lambda sheet: optimizer_notes(sheet, compared=exercise is None)),
        (run.criterion.classifies, "Classes and the cross-entropy", classification_notes),
        (bool(run.penalties) or run.lr_decay is not None,
         "Regularisation and the decaying rate", regularisation_notes),
        (bool(run.tests), "The test set: does the network generalise?", test_set_notes),
        (has_boundary(run), "The decision boundary", boundary_notes),
        (has_pictures(run), "The pictures", pictures_notes),
        (run.gradient_step is not None, "The gradient check", gradient_check_notes),
    )
    return [(title, notes(sheet)) for wanted, title, notes in sections if wanted]


def write_notes(notes_sheet, sheet: NetworkSheet, header_font: Font,
                exercise: Exercise | None = None) -> None:
    lines = Lines()
    add, paragraph = lines.add, lines.paragraph
    add("How this workbook trains a network", font=TITLE_FONT)
    add()
    for text in introduction(sheet):
        paragraph(text)
    if exercise is not None:
        add("The exercise", font=SECTION_FONT)
        for text in exercise_notes(exercise, sheet.columns[-1].letter):
            paragraph(text)
    if sheet.run.network.features:
        add("Features of the plane", font=SECTION_FONT)
        for text in feature_notes(sheet):
            paragraph(text)
    add("Backpropagation in this network", font=SECTION_FONT)
    for step, text in backpropagation(sheet):
        lines.step(step, text)
    add()
    for title, texts in _sections(sheet, exercise):
        add(title, font=SECTION_FONT)
        for text in texts:
            paragraph(text)
    add("The columns of the Training sheet", font=SECTION_FONT)
    add("Column", "Group · header", "Formula in row 4", "What it is", font=header_font)
    column_table(add, sheet, exercise)
    add()
    add("The inputs", font=SECTION_FONT)
    paragraph("The orange cells are the inputs; each has a name that the formulas use. An "
              "initial weight is named W_TO_FROM and a bias B_NEURON, after the neurons they "
              "join: W_H1_X2 is the weight into h1 from x2, B_O1 the bias of o1 (h2.3 becomes "
              "H2_3). Their first-row columns read these names; later rows step from the row "
              "above.")
    add("Cell", "Name", "Input", "What it is", font=header_font)
    for entry in sheet.panel.inputs:
        add(entry.cell, entry.name, entry.label, entry.meaning)
    initial = sheet.initial_cells
    for cell in initial[:MOST_LISTED_PARAMETERS]:
        add(f"{DATA_SHEET_NAME}!{cell.cell}", cell.name, cell.label,
            "The value this parameter starts from, in row 3.")
    if len(initial) > MOST_LISTED_PARAMETERS:
        add(f"{DATA_SHEET_NAME}!…", f"{initial[MOST_LISTED_PARAMETERS].name} …",
            f"{len(initial) - MOST_LISTED_PARAMETERS:,} more",
            "The other parameters' starting values, each named the same way, in the Data "
            "sheet's tables.")
    lines.write(notes_sheet)
