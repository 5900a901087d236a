"""What the image layers share: they take `channels` maps of `height`×`width` values and give
`out_channels` maps of `out_height`×`out_width`, each flattened channel, then row, then column
(PyTorch's `flatten`), so that the rest of the network sees flat vectors."""


class Maps:
    """An image layer's maps in and out; its record says how many come out, and how big."""

    channels: int
    height: int
    width: int
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

    def map_label(self, c: int) -> str:
        raise NotImplementedError

    def neuron(self, j: int) -> str:
        """A value's label, its map's and its place's: m2[3,4] is map m2's at row 3,
        column 4."""
        c, p = divmod(j, self.places)
        y, x = divmod(p, self.out_width)
        return f"{self.map_label(c)}[{y + 1},{x + 1}]"
