"""The real Python medmask library as a test peer: one JSON request per stdin line, one JSON
answer per stdout line. Started by test/helpers/python-peer.ts with PYTHONPATH pointing at
../shared/peers/python-medmask (the library as published, not a copy)."""
import hashlib
import json
import sys
import traceback
from dataclasses import asdict

import numpy as np
from spacetransformer import Space
from medmask.core.segmask import SegmentationMask
from medmask.storage import MaskArchive, load_mask, save_mask


def describe(seg):
    data = np.ascontiguousarray(seg.data)
    return {
        "shape": list(data.shape),
        "dtype": str(data.dtype),
        "mapping": {k: int(v) for k, v in seg.mapping._name_to_label.items()},
        "space": json.loads(seg.space.to_json()),
        "sha256": hashlib.sha256(data.tobytes()).hexdigest(),
        "nonzero": int(np.count_nonzero(data)),
    }


def build(entry, space):
    raw = open(entry["raw"], "rb").read()
    if entry["dtype"] == "bool":
        data = np.frombuffer(raw, dtype=np.uint8).astype(np.bool_)
    else:  # the test writes little-endian voxels
        data = np.frombuffer(raw, dtype=np.dtype(entry["dtype"]).newbyteorder("<")).astype(entry["dtype"])
    return SegmentationMask(data.reshape(space.shape), entry["mapping"], space)


def handle(req):
    op = req["op"]
    if op == "read_msk":
        return describe(load_mask(req["path"]))
    if op == "write_msk":
        space = Space.from_json(json.dumps(req["space"]))
        save_mask(build(req, space), req["path"])
        return {}
    if op == "read_mska":
        archive = MaskArchive(req["path"], mode="r")
        names = archive.all_names()
        return {"names": names, "space": json.loads(archive.space.to_json()), "entries": [describe(archive.load_segmask(n)) for n in names]}
    if op == "write_mska":
        space = Space.from_json(json.dumps(req["space"]))
        archive = MaskArchive(req["path"], mode=req.get("mode", "w"), space=space)
        for entry in req["entries"]:
            archive.add_segmask(build(entry, archive.space), entry["name"])
        return {}
    if op == "raw_space":
        # The space JSON exactly as the file stores it (x, y, z order), from the header.
        import struct
        head = open(req["path"], "rb").read(90)
        offset, length = struct.unpack("<2Q", head[7:23])
        with open(req["path"], "rb") as f:
            f.seek(offset)
            return json.loads(f.read(length).decode("utf-8"))
    if op == "space_ops":
        return [space_op(case) for case in req["cases"]]
    raise ValueError(f"unknown op {op}")


def space_op(case):
    """One spacetransformer operation on one space: its JSON (or list), or the error it raised."""
    space = Space.from_json(json.dumps(case["space"]))
    name, args = case["op"], case["args"]
    try:
        if name == "physical_span":
            return space.physical_span.tolist()
        if name == "end":
            return space.end.tolist()
        if name == "contain_pointset_ind":
            return space.contain_pointset_ind(np.array(args[0], dtype=float)).tolist()
        if name == "contain_pointset_world":
            return space.contain_pointset_world(np.array(args[0], dtype=float)).tolist()
        if name in ("apply_bbox", "apply_float_bbox"):
            args = [np.array(args[0])] + args[1:]
        result = getattr(space, name)(*args, **case.get("kwargs", {}))
        # Space.to_json fails on the numpy integers some operations leave in the shape.
        return json.loads(json.dumps(asdict(result), default=lambda v: v.item()))
    except Exception as error:  # the test decides whether an error was expected
        return {"error": f"{type(error).__name__}: {error}"}


for line in sys.stdin:
    req = json.loads(line)
    try:
        answer = {"ok": True, "result": handle(req)}
    except Exception as error:  # reported to the test, which fails with it
        answer = {"ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
