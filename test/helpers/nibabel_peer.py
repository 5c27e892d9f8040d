"""nibabel (Debian's python3-nibabel) as the oracle of the FreeSurfer MGH tests: writes a
label volume as .mgh / .mgz with a given affine and voxel type, or reads one and reports its
affine and voxels. One JSON request on stdin, one JSON answer on stdout. Voxels travel as raw
little-endian uint32, x fastest (medmask's order for a (z, y, x) array)."""
import hashlib
import json
import sys

import nibabel as nib
import numpy as np

req = json.load(sys.stdin)
if req["op"] == "write":
    x, y, z = req["dims"]
    data = np.fromfile(req["raw"], dtype="<u4").reshape((x, y, z), order="F").astype(req["dtype"])
    nib.save(nib.MGHImage(data, np.array(req["affine"], dtype=float)), req["path"])
    print(json.dumps({}))
else:
    img = nib.load(req["path"])
    data = np.asarray(img.dataobj)
    flat = data.ravel(order="F").astype("<u4")
    print(json.dumps({"shape": list(data.shape), "affine": img.affine.tolist(), "sha256": hashlib.sha256(flat.tobytes()).hexdigest(), "labels": int(len(np.unique(flat)))}))
