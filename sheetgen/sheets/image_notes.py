"""The Notes' words for a network's image layers: what a convolution and a pooling do, for
this network, in plain words."""


def layers_words(net) -> str:
    """The layers, for the Notes' first words: their neurons, or with image layers, the
    picture, the image layers' values and the dense layers' neurons."""
    if not net.stack:
        return (f"layers of {', '.join(map(str, net.sizes))} neurons from the inputs to the "
                "outputs. ")
    image, dense = net.sizes[1:len(net.stack) + 1], net.sizes[len(net.stack) + 1:]
    return (f"layers {net.layers_text}: a picture, image layers of "
            f"{', '.join(map(str, image))} map values, and dense layers of "
            f"{', '.join(map(str, dense))} neurons. ")


def image_steps(net) -> list[tuple[str, str]]:
    """What the image layers do, in plain words, one step each: a convolution's kernels and
    their sharing, a pooling's windows (none without image layers)."""
    steps = []
    for number, layer in enumerate(net.stack):
        seen = (f"the {layer.width}×{layer.height} picture" if number == 0 else
                f"the {layer.channels} {layer.width}×{layer.height} map(s) before")
        if layer.rows:
            k, depth = layer.size, f"{layer.channels}×" if layer.channels > 1 else ""
            steps.append((layer.title, (
                f"{layer.filters} filter(s), each a {depth}{k}×{k} kernel of weights "
                f"({layer.filter_label(0)}[1,1] … is filter {layer.filter_label(0)}'s, row by "
                f"row) and a bias. The kernel slides over {seen} one pixel at a time, "
                f"{layer.places} places, and at each the map value's net = {layer.net_words}:"
                f" {layer.neuron(0)} is filter {layer.filter_label(0)}'s map at row 1, column "
                "1. The same weights serve every place (weight sharing), so a filter learns "
                "one pattern, an edge or a stroke, and finds it wherever it is.")))
        else:
            kept = ("evens out each part of the picture" if layer.mean else
                    "keeps what each part of the picture showed most")
            steps.append((layer.title, (
                f"Each of {seen} cut into {layer.size}×{layer.size} windows, each giving one "
                f"value: {layer.net_words} ({layer.neuron(0)} is the first map's first). It "
                f"{kept} and makes the maps smaller; it has no weights and no activation.")))
    return steps


def image_back_steps(net) -> list[tuple[str, str]]:
    """How δ goes back through each image layer."""
    return [(layer.numbered("δ via kernels" if layer.rows else "δ via pooling"),
             f"{layer.back_words}.") for layer in net.stack]


def image_gradient_words(net) -> str:
    """What a convolution's kernel weights' gradients are, after the dense layers' words."""
    return "".join(f"; in {layer.title.lower()}, {layer.gradient_words}"
                   for layer in net.stack if layer.rows)
