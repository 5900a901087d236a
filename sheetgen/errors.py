"""The one error for input that cannot make a workbook, at the bottom of the package: every
layer that refuses input raises it, and it imports nothing of sheetgen.

The command line prints its text after `error: `; the Python API raises it as it is. So one
validation serves both, message for message.
"""


class InputError(ValueError):
    """Bad options, data, init file or shape; str(error) is ONE line that says exactly what
    is wrong and where (file name, row/line, column), with no traceback-like content."""

    def __init__(self, message: str):
        # A file name or a quoted cell could in principle hold a line break: keep one line.
        super().__init__(" ".join(message.splitlines()))
