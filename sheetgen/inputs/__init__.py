"""Input read from files, or given in Python, checked before it reaches a sheet: samples,
starting weights and biases, the presets, and the run they come to."""
