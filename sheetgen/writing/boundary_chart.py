"""The Boundary sheet's chart: the samples at their coordinates, drawn over the answer map.

The chart stands over the map and the margins round it (`Boundary.chart_frame`), all small
cells of one size, and places its plot area by hand at the map's own cells, with the map's
range on its axes: every engine then draws a sample on the grid point nearest it. Its
background is transparent, so the map's colours show through; the axes carry the tick values,
x1 below and x2 left.
"""

from openpyxl.chart import ScatterChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel, XYSeries
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.utils import get_column_letter

from sheetgen.sheets.boundary import BOUNDARY_SHEET_NAME, Boundary
from sheetgen.writing.sheet_parts import TICK_FORMAT

ORANGE, PALE, BLUE = "F59322", "E8EAEB", "0877BD"
"""The Playground's colours: orange for its −1 (the first class), blue for its +1."""
GROUP_COLOURS = ("B34700", "03466F", "2CA02C", "9467BD", "8C564B", "D62728")
"""The samples' markers: the classes' colours, deeper than the map's, to show on them."""
TEXT_SIZE = 12
"""The size of the sheet's printed text, and of the axes' tick values."""
MARKER_SIZE = 7


def points_chart(boundary: Boundary) -> ScatterChart:
    """The samples on the answer's axes, by class: the training ones as dots, the test ones
    hollow, and a cross on each one the network has on the wrong side. The points of other
    series are parked right of the axes in hidden helper columns, which the chart reads
    (not only the visible cells)."""
    chart = ScatterChart()
    chart.scatterStyle = "lineMarker"
    chart.legend = None
    chart.visible_cells_only = False
    for axis, (low, high) in zip((chart.x_axis, chart.y_axis), boundary.ranges):
        axis.scaling.min, axis.scaling.max = low, high
        axis.crosses = "min"
        axis.delete = False
        axis.number_format = TICK_FORMAT
        axis.majorGridlines = None
        axis.txPr = _font(TEXT_SIZE)
    chart.x_axis.axPos = "b"
    _transparent(chart, boundary)
    run, points = boundary.run, boundary.points
    training = (boundary.point_row(0), boundary.point_row(len(run.samples) - 1))
    tests = (training[1] + 1, boundary.point_row(len(points) - 1)) if run.tests else None
    helpers = boundary.helper_columns
    for g, name in enumerate(boundary.groups):
        colour = GROUP_COLOURS[g % len(GROUP_COLOURS)]
        # Outlined in their own colour: Gnumeric fills a marker with its outline's colour.
        chart.series.append(_dots(boundary, name, helpers[g], training, "circle", colour,
                                  colour))
        if tests:
            chart.series.append(_dots(boundary, f"{name}, test", helpers[g], tests, "circle",
                                      "FFFFFF", colour))
    chart.series.append(_dots(boundary, "on the wrong side", helpers[-1],
                              (training[0], tests[1] if tests else training[1]), "x", "000000",
                              "000000"))
    return chart


def _transparent(chart: ScatterChart, boundary: Boundary) -> None:
    """No fill nor border, the plot area placed on the answer map's cells, and the chart
    anchored over the map and its margins."""
    frame = boundary.chart_frame
    wide, high = frame.right - frame.left + 1, frame.bottom - frame.top + 1
    side, margins = boundary.grid * boundary.answer.block, boundary.sizes.margins
    chart.layout = Layout(manualLayout=ManualLayout(
        layoutTarget="inner", xMode="edge", yMode="edge", x=margins.left / wide,
        y=margins.top / high, w=side / wide, h=side / high))
    chart.graphical_properties = _unframed()
    chart.plot_area.graphicalProperties = _unframed()
    chart.anchor = TwoCellAnchor(_from=AnchorMarker(col=frame.left - 1, row=frame.top - 1),
                                 to=AnchorMarker(col=frame.right, row=frame.bottom))


def _unframed() -> GraphicalProperties:
    """No fill and no border (no dash style either: Gnumeric draws a line that has one)."""
    properties = GraphicalProperties(noFill=True)
    properties.line.noFill = True
    properties.line.prstDash = None
    return properties


def _font(size: float) -> RichText:
    """Text of `size` points: a paragraph of no run (openpyxl's default empty run is one that
    Gnumeric warns of)."""
    properties = CharacterProperties(sz=round(size * 100))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), r=[],
                                 endParaRPr=properties)])


def _dots(boundary: Boundary, label: str, column: int, rows: tuple[int, int], symbol: str,
          fill: str, line: str) -> XYSeries:
    """A series of markers without a line: x1 from a helper column, x2 from the points'
    table."""
    letter, x2 = get_column_letter(column), boundary.point_letter("x2")
    sheet = f"'{BOUNDARY_SHEET_NAME}'"
    series = XYSeries(tx=SeriesLabel(v=label),
                      xVal=AxDataSource(numRef=NumRef(f=f"{sheet}!${letter}${rows[0]}:"
                                                        f"${letter}${rows[1]}")),
                      yVal=NumDataSource(numRef=NumRef(f=f"{sheet}!${x2}${rows[0]}:"
                                                         f"${x2}${rows[1]}")))
    series.marker = Marker(symbol=symbol, size=MARKER_SIZE if symbol != "x" else 9)
    series.marker.graphicalProperties = GraphicalProperties(solidFill=fill)
    series.marker.graphicalProperties.line.solidFill = line
    series.marker.graphicalProperties.line.width = 19050 if symbol == "circle" else 25400
    series.graphicalProperties.line.noFill = True
    # Gnumeric draws a line between the points where the unfilled line has a dash style.
    series.graphicalProperties.line.prstDash = None
    series.smooth = False
    return series
