"""The Notes' words for a network's image layers: what a convolution and a pooling do, for
this network, in plain words."""


def image_steps(net) -> list[tuple[str, str]]:
    """What the image layers do, in plain words, one step each: a convolution's kernels and
    their sharing, a pooling's windows (none without image layers)."""
    steps = []
    for layer in net.stack:
        if layer.rows:
            k = layer.size
            steps.append((layer.title, (
                f"{layer.filters} filter(s), each a {k}×{k} kernel of weights "
                f"({layer.filter_label(0)}[1,1] … is filter 1's, row by row) and a bias. The "
                f"kernel slides over the {layer.height}×{layer.width} picture one pixel at a "
                f"time, {layer.places} places, and at each the map value's net = "
                f"{layer.net_words}: {layer.neuron(0)} is filter 1's map at row 1, column "
                "1. The same weights serve every place (weight sharing), so a filter learns "
                "one pattern, an edge or a stroke, and finds it wherever it is.")))
        else:
            steps.append((layer.title, (
                f"Each map cut into {layer.size}×{layer.size} windows, each giving one value: "
                f"{layer.net_words} ({layer.neuron(0)} is map 1's first). It keeps what "
                "each part of the picture showed most and makes the maps smaller; it has no "
                "weights and no activation.")))
    return steps


def image_back_steps(net) -> list[tuple[str, str]]:
    """How δ goes back through each image layer."""
    return [(f"δ back through {layer.title.lower()}", f"{layer.back_words}.")
            for layer in net.stack]


def image_gradient_words(net) -> str:
    """What a convolution's kernel weights' gradients are, after the dense layers' words."""
    return "".join(f"; in {layer.title.lower()}, {layer.gradient_words}"
                   for layer in net.stack if layer.rows)
