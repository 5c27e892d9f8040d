"""scipy's side of `npm run bench clean` (Debian's python3-scipy): ndimage.label of every organ
of a raw label volume on its box (26-connected), best of `repeats`, and a 5 mm binary_dilation
of one label with the ellipsoid (and binary_erosion); prints milliseconds as JSON."""
import json
import sys
import time

import numpy as np
from scipy import ndimage

req = json.load(sys.stdin)
data = np.fromfile(req["path"], dtype=req["dtype"]).reshape(req["shape"])
structure = ndimage.generate_binary_structure(3, 3)
boxes = ndimage.find_objects(data)


def label_all():
    for label, box in enumerate(boxes, start=1):
        if box is not None:
            ndimage.label(data[box] == label, structure=structure)


def best(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return min(times)


out = {"labelAll": best(label_all, req.get("repeats", 3))}
if "dilateLabel" in req:
    r, spacing = req["radiusMm"], req["spacing"]
    half = [int(np.floor(r / s)) for s in spacing]
    grid = np.meshgrid(*[np.arange(-h, h + 1) * s for h, s in zip(half, spacing)], indexing="ij")
    element = sum(g * g for g in grid) <= r * r
    inside = data == req["dilateLabel"]
    out["dilate"] = best(lambda: ndimage.binary_dilation(inside, structure=element), 1)
    out["erode"] = best(lambda: ndimage.binary_erosion(inside, structure=element), 1)
print(json.dumps(out))
