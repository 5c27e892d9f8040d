"""What pydicom reads in a DICOM SEG, as JSON: its segments and, per frame, the position and
the segment it belongs to and how many pixels it sets (for medmask's cross-checks)."""
import json
import sys

import numpy as np
import pydicom

out = []
for path in sys.argv[1:]:
    d = pydicom.dcmread(path)
    segments = [{"number": int(s.SegmentNumber), "label": str(s.get("SegmentLabel", ""))} for s in d.SegmentSequence]
    frames = []
    pixels = None
    try:
        pixels = d.pixel_array.reshape(int(d.get("NumberOfFrames", 1)), d.Rows, d.Columns)
    except NotImplementedError:
        pass
    for i, f in enumerate(d.PerFrameFunctionalGroupsSequence):
        ident = f.get("SegmentIdentificationSequence")
        frame = {
            "position": [float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient],
            "segment": int(ident[0].ReferencedSegmentNumber) if ident else None,
        }
        if pixels is not None:
            p = pixels[i]
            if d.SegmentationType == "LABELMAP":
                frame["counts"] = {str(int(v)): int((p == v).sum()) for v in np.unique(p) if v != 0}
            elif d.SegmentationType == "FRACTIONAL":
                frame["set"] = int((p.astype(np.int64) * 2 >= int(d.MaximumFractionalValue)).sum())
            else:
                frame["set"] = int(p.astype(np.int64).sum())
        frames.append(frame)
    out.append({"type": d.SegmentationType, "rows": d.Rows, "columns": d.Columns, "segments": segments, "frames": frames, "decoded": pixels is not None})
print(json.dumps(out))
