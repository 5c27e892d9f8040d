"""What pydicom reads in a DICOM SEG, as JSON: its segments and, per frame, the position and
the segment it belongs to and how many pixels it sets (for medmask's cross-checks)."""
import json
import sys

import numpy as np
import pydicom

out = []
for path in sys.argv[1:]:
    d = pydicom.dcmread(path)
    identity = {
        "sop": str(d.SOPInstanceUID),
        "study": str(d.get("StudyInstanceUID", "")),
        "series": str(d.get("SeriesInstanceUID", "")),
        "frameOfReference": str(d.get("FrameOfReferenceUID", "")),
        "patientId": str(d.get("PatientID", "")),
        "patientName": str(d.get("PatientName", "")),
    }
    if "SegmentSequence" not in d:  # a source image
        out.append({**identity, "position": [float(v) for v in d.ImagePositionPatient]})
        continue
    referenced = [
        {"series": str(r.SeriesInstanceUID), "instances": [str(i.ReferencedSOPInstanceUID) for i in r.ReferencedInstanceSequence]}
        for r in d.get("ReferencedSeriesSequence", [])
    ]
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
        derivation = f.get("DerivationImageSequence")
        if derivation:
            frame["source"] = str(derivation[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
        if pixels is not None:
            p = pixels[i]
            if d.SegmentationType == "LABELMAP":
                frame["counts"] = {str(int(v)): int((p == v).sum()) for v in np.unique(p) if v != 0}
            elif d.SegmentationType == "FRACTIONAL":
                frame["set"] = int((p.astype(np.int64) * 2 >= int(d.MaximumFractionalValue)).sum())
            else:
                frame["set"] = int(p.astype(np.int64).sum())
        frames.append(frame)
    out.append({**identity, "referencedSeries": referenced, "type": d.SegmentationType, "rows": d.Rows, "columns": d.Columns, "segments": segments, "frames": frames, "decoded": pixels is not None})
print(json.dumps(out))
