"""What the image layers share: they take `channels` maps of `height`×`width` values and give
`out_channels` maps of `out_height`×`out_width`, each flattened channel, then row, then column
(PyTorch's `flatten`), so that the rest of the network sees flat vectors."""


class Maps:
    """An image layer's maps in and out; its record says how many come out, and how big."""

    channels: int
    height: int
    width: int
    number: int | None
    """The layer's number among those of its kind, where there are several: its labels
    carry it (k2.1, the first filter of the second convolution); None for the only one."""
    out_channels: int
    out_height: int
    out_width: int

    @property
    def places(self) -> int:
        """The values of each map the layer gives."""
        return self.out_height * self.out_width

    @property
    def inputs(self) -> int:
        return self.channels * self.height * self.width

    @property
    def outputs(self) -> int:
        return self.out_channels * self.places

    @property
    def maps(self) -> tuple[int, int, int]:
        """(maps, height, width) of what the layer gives the next."""
        return self.out_channels, self.out_height, self.out_width

    letter = ""
    """The start of its maps' labels: m for a convolution's, p for a pooling's."""

    def labelled(self, letter: str, k: int) -> str:
        """The label of the layer's k-th (from 0) map or filter, from its letter: m2, or
        m1.2 where several layers of its kind number theirs."""
        return f"{letter}{'' if self.number is None else f'{self.number}.'}{k + 1}"

    def map_label(self, c: int) -> str:
        """Map c's label: m2, p2."""
        return self.labelled(self.letter, c)

    def place(self, j: int) -> tuple[int, int, int]:
        """(map, row, column), from 0, of the layer's value j."""
        c, p = divmod(j, self.places)
        return c, *divmod(p, self.out_width)

    def neuron(self, j: int) -> str:
        """A value's label, its map's and its place's: m2[3,4] is map m2's at row 3,
        column 4."""
        c, y, x = self.place(j)
        return f"{self.map_label(c)}[{y + 1},{x + 1}]"

    def plain_neuron(self, j: int) -> str:
        """The same, fit for a workbook name: m2_3_4."""
        c, y, x = self.place(j)
        return f"{self.map_label(c)}_{y + 1}_{x + 1}"

    def numbered(self, title: str) -> str:
        """The layer's title with its number, where several of its kind have one."""
        return title if self.number is None else f"{title} {self.number}"
