"""Package parts as Excel itself writes them, where openpyxl writes them otherwise.

- Text cells go into a shared-strings table. openpyxl (since 3.1) writes every text as an
  inline string, which Excel moves into a shared-strings table, rewriting the file, the first
  time it saves it; a workbook that already has one is saved as it is.
- A font's children come in Excel's order (bold … size, colour, name, family, scheme). The
  ECMA schema allows any order; the Open XML SDK, and so Excel's own validation, expects this
  one, and openpyxl writes the name and colour first.

Both are plain text edits of small parts: the attempt rows, which are most of the bytes, hold
numbers and formulas only.
"""

import re

SHARED_STRINGS_PART = "xl/sharedStrings.xml"
STYLES_PART = "xl/styles.xml"
WORKBOOK_RELATIONS_PART = "xl/_rels/workbook.xml.rels"
CONTENT_TYPES_PART = "[Content_Types].xml"

INLINE_STRING = re.compile(rb' t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is>',
                           re.DOTALL)
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class SharedStrings:
    """The workbook's shared-strings table, filled as its worksheets are written: each text
    gets the index of its first appearance, so the table is the same for the same workbook."""

    def __init__(self):
        self.index: dict[bytes, int] = {}
        self.count = 0
        """Text cells in all, the table's `count`; `index` holds each text once."""

    def share(self, xml: bytes) -> bytes:
        """Worksheet XML with every inline-string cell made a shared-string cell."""
        def shared(match: re.Match) -> bytes:
            text = match.group(1)   # escaped already, as the table holds it
            self.count += 1
            number = self.index.setdefault(text, len(self.index))
            return b' t="s"><v>%d</v>' % number
        return INLINE_STRING.sub(shared, xml)

    def part(self) -> bytes:
        items = b"".join(
            b'<si><t xml:space="preserve">%s</t></si>' % text if text != text.strip()
            else b"<si><t>%s</t></si>" % text for text in self.index)
        return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>'
                % (MAIN, self.count, len(self.index), items))


def declare_shared_strings(part: str, xml: bytes) -> bytes:
    """The workbook's relationships and the package's content types, with the table in."""
    if part == WORKBOOK_RELATIONS_PART:
        relation = (b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdStrings" />')
        return xml.replace(b"</Relationships>", relation + b"</Relationships>")
    if part == CONTENT_TYPES_PART:
        override = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />')
        return xml.replace(b"</Types>", override + b"</Types>")
    return xml


FONT_ORDER = (b"b", b"i", b"strike", b"condense", b"extend", b"outline", b"shadow", b"u",
              b"vertAlign", b"sz", b"color", b"name", b"family", b"charset", b"scheme")
FONT = re.compile(rb"<font>(.*?)</font>", re.DOTALL)
FONT_CHILD = re.compile(rb"<(\w+)[^>]*/>")


def fonts_in_order(styles_xml: bytes) -> bytes:
    """styles.xml with each font's children in the order Excel writes them."""
    def ordered(match: re.Match) -> bytes:
        children = [child.group(0) for child in FONT_CHILD.finditer(match.group(1))]
        if b"".join(children) != match.group(1):
            raise ValueError(f"a font with a child that is not empty: {match.group(0)!r}")
        children.sort(key=lambda child: FONT_ORDER.index(FONT_CHILD.match(child).group(1)))
        return b"<font>" + b"".join(children) + b"</font>"
    return FONT.sub(ordered, styles_xml)
