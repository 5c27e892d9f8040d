"""Resampling with scipy (Debian's python3-scipy): ndimage.map_coordinates with order 0 at
the positions the two spaces give (target index -> world -> source index, from the spaces'
own JSON, computed here with numpy), slice by slice. The oracle of
test/geometry/resample-scipy.test.ts and the scipy row of bench/geometry.bench.mjs. Reads a
JSON request on stdin (the raw volume's path, dtype, source and target space JSON, out
path); writes the resampled volume and prints the seconds the resampling took."""
import json
import sys
import time

import numpy as np
from scipy import ndimage


def affine(space):
    """Index -> world: columns are each axis's orientation times its spacing."""
    m = np.eye(4)
    axes = np.array([space["x_orientation"], space["y_orientation"], space["z_orientation"]], dtype=float).T
    m[:3, :3] = axes * np.array(space["spacing"], dtype=float)
    m[:3, 3] = space["origin"]
    return m


req = json.load(sys.stdin)
source, target = req["source"], req["target"]
data = np.fromfile(req["path"], dtype=req["dtype"]).reshape(source["shape"])
m = np.linalg.inv(affine(source)) @ affine(target)
n0, n1, n2 = target["shape"]
out = np.empty((n0, n1, n2), dtype=data.dtype)
j, k = np.meshgrid(np.arange(n1, dtype=float), np.arange(n2, dtype=float), indexing="ij")
start = time.perf_counter()
for i in range(n0):
    index = np.stack([np.full_like(j, i), j, k, np.ones_like(j)]).reshape(4, -1)
    coords = (m @ index)[:3]
    # grid-constant: a position half a voxel past the edge is still on the grid, and beyond
    # it background, as medmask's nearest.
    out[i] = ndimage.map_coordinates(data, coords, order=0, mode="grid-constant", cval=0, prefilter=False).reshape(n1, n2)
seconds = time.perf_counter() - start
out.tofile(req["outPath"])
print(json.dumps({"seconds": seconds}))
