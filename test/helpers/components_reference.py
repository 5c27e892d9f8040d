"""Connected components with scipy (Debian's python3-scipy): ndimage.label with the 6, 18 and
26 structures, each label of a raw volume on its own: the oracle of
test/clean/components-scipy.test.ts. Reads a JSON request on stdin (the raw volume's path,
dtype, shape, labels, connectivity); prints, per label, its components' sizes (largest
first) and the label volume that keeps only the largest (as a path it wrote)."""
import json
import sys

import numpy as np
from scipy import ndimage

req = json.load(sys.stdin)
data = np.fromfile(req["path"], dtype=req["dtype"]).reshape(req["shape"])
structure = ndimage.generate_binary_structure(3, {6: 1, 18: 2, 26: 3}[req["connectivity"]])
out = {}
kept = data.copy()
for label in req["labels"]:
    ids, count = ndimage.label(data == label, structure=structure)
    sizes = np.bincount(ids.ravel())[1:]
    out[str(label)] = sorted((int(s) for s in sizes), reverse=True)
    if count > 1:
        largest = int(np.argmax(sizes)) + 1
        kept[(ids != largest) & (ids != 0)] = 0
kept.tofile(req["keptPath"])
# fillHoles: each label in the order given, its cavities (binary_fill_holes' default, 6-connected
# complement) filled where the (updated) volume is background.
filled = data.copy()
for label in req["labels"]:
    inside = data == label
    cavity = ndimage.binary_fill_holes(inside) & ~inside
    filled[cavity & (filled == 0)] = label
filled.tofile(req["filledPath"])
print(json.dumps(out))
