"""The comparison metrics of SPEC section 15, written from their definitions with scipy and
numpy (Debian's python3-scipy): the oracle of test/formats/compare-scipy.test.ts and the
scipy rows of `npm run bench compare`. Reads a JSON request on stdin: two raw label volumes
(paths, dtype, shape, spacing) and label pairs; prints one JSON row per pair."""
import json
import sys
import time

import numpy as np
from scipy import ndimage

SIX = ndimage.generate_binary_structure(3, 1)


def surface(mask):
    # Voxels with a 6-neighbour outside; outside the grid counts as outside (border_value 0).
    return mask & ~ndimage.binary_erosion(mask, structure=SIX, border_value=0)


def directed(from_surface, to_surface, spacing):
    return ndimage.distance_transform_edt(~to_surface, sampling=spacing)[from_surface]


def compare(a, b, spacing, percentile, tolerance, crop):
    if crop:
        # Each pair on the union of its boxes (fair to scipy: what medmask does).
        where = np.argwhere(a | b)
        lo, hi = where.min(0), where.max(0) + 1
        a = a[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]
        b = b[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]
    va, vb = int(a.sum()), int(b.sum())
    inter = int((a & b).sum())
    if va == 0 or vb == 0:
        return {"voxelsA": va, "voxelsB": vb, "intersection": 0, "empty": True}
    sa, sb = surface(a), surface(b)
    ab, ba = directed(sa, sb, spacing), directed(sb, sa, spacing)
    both = np.concatenate([ab, ba])
    return {
        "voxelsA": va,
        "voxelsB": vb,
        "intersection": inter,
        "dice": 2 * inter / (va + vb),
        "jaccard": inter / (va + vb - inter),
        "hausdorff": float(max(ab.max(), ba.max())),
        "hd95": float(max(np.percentile(ab, percentile), np.percentile(ba, percentile))),
        "assd": float(both.sum() / both.size),
        "nsd": float((both <= tolerance).sum() / both.size),
    }


def main():
    req = json.load(sys.stdin)
    shape = req["shape"]
    a = np.fromfile(req["a"], dtype=req["dtypeA"]).reshape(shape)
    b = np.fromfile(req["b"], dtype=req["dtypeB"]).reshape(shape)
    rows = []
    started = time.perf_counter()
    for la, lb in req["pairs"]:
        rows.append(compare(a == la, b == lb, req["spacing"], req.get("percentile", 95), req.get("tolerance", 1), req.get("crop", True)))
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started}))


main()
