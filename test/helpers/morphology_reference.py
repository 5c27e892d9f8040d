"""Label-safe dilation and erosion with scipy (Debian's python3-scipy): binary_dilation and
binary_erosion (border_value=0) with the ellipsoid of voxel offsets within the radius through
the spacing, each label in label order, growth into background only: the oracle of
test/clean/morphology-scipy.test.ts. Reads a JSON request on stdin; writes the two volumes."""
import json
import sys

import numpy as np
from scipy import ndimage

req = json.load(sys.stdin)
data = np.fromfile(req["path"], dtype=req["dtype"]).reshape(req["shape"])
r, spacing = req["radius"], req["spacing"]
half = [int(np.floor(r / s)) for s in spacing]
grid = np.meshgrid(*[np.arange(-h, h + 1) * s for h, s in zip(half, spacing)], indexing="ij")
structure = sum(g * g for g in grid) <= r * r
dilated, eroded = data.copy(), data.copy()
for label in req["labels"]:
    inside = data == label
    grow = ndimage.binary_dilation(inside, structure=structure)
    dilated[grow & (dilated == 0)] = label
    keep = ndimage.binary_erosion(inside, structure=structure, border_value=0)
    eroded[inside & ~keep] = 0
dilated.tofile(req["dilatedPath"])
eroded.tofile(req["erodedPath"])
