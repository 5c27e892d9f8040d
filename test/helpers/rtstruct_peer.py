"""A CT series and an RT Structure Set written with pydicom (Debian's python3-pydicom), for
rtstruct tests. Request on stdin:
  {"ct": dir, "rows", "columns", "slices", "spacing": [row, column], "thickness", "origin": [x, y, z],
   "orientation": [6 numbers], "frameOfReference", "study", "series"}: one CT image per slice;
  {"rtstruct": path, "ct": dir, "frameOfReference", "study", "rois": [{"number", "name", "color",
   "type", "contours": [{"type", "points": [x, y, z, ...]}]}]}: the structure set of those images;
  {"read": path}: a structure set as pydicom reads it (its transfer syntax, identity, what it
   references and each ROI with its contours), printed as JSON;
  {"extent": path}: the box of its closed planar contours (x, y in mm) and their planes' z.
"""
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT = "1.2.840.10008.5.1.4.1.1.2"
RTSTRUCT = "1.2.840.10008.5.1.4.1.1.481.3"


def base(sop_class, sop_instance, modality, req):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_instance
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_instance
    ds.Modality = modality
    ds.PatientName = "Phantom^Contours"
    ds.PatientID = "RT-1"
    ds.StudyInstanceUID = req["study"]
    ds.StudyDate = "20260101"
    ds.StudyTime = "120000"
    ds.StudyID = "1"
    ds.AccessionNumber = ""
    ds.ReferringPhysicianName = ""
    ds.PatientBirthDate = ""
    ds.PatientSex = "O"
    return ds


def read(path):
    ds = pydicom.dcmread(path)
    frame = ds.ReferencedFrameOfReferenceSequence[0]
    images = [i.ReferencedSOPInstanceUID for st in frame.get("RTReferencedStudySequence", []) for se in st.RTReferencedSeriesSequence for i in se.ContourImageSequence]
    types = {o.ReferencedROINumber: o.RTROIInterpretedType for o in ds.RTROIObservationsSequence}
    contours = {c.ReferencedROINumber: c for c in ds.ROIContourSequence}
    rois = []
    for s in ds.StructureSetROISequence:
        c = contours[s.ROINumber]
        rois.append({
            "number": int(s.ROINumber), "name": s.ROIName, "type": types[s.ROINumber], "frameOfReference": s.ReferencedFrameOfReferenceUID,
            "color": [int(v) for v in c.ROIDisplayColor],
            "contours": [{"type": k.ContourGeometricType, "points": int(k.NumberOfContourPoints), "data": len(k.ContourData) // 3,
                          "z": float(k.ContourData[2]), "image": k.ContourImageSequence[0].ReferencedSOPInstanceUID if "ContourImageSequence" in k else None}
                         for k in c.get("ContourSequence", [])],
        })
    return {"syntax": str(ds.file_meta.TransferSyntaxUID), "modality": ds.Modality, "study": ds.StudyInstanceUID, "frameOfReference": ds.FrameOfReferenceUID,
            "referencedFrame": frame.FrameOfReferenceUID, "patientId": ds.PatientID, "images": images, "rois": rois}


def extent(path):
    ds = pydicom.dcmread(path)
    xs, ys, zs = [], [], set()
    for c in ds.ROIContourSequence:
        for k in c.get("ContourSequence", []):
            if k.ContourGeometricType != "CLOSED_PLANAR":
                continue
            p = np.array(k.ContourData, dtype=float).reshape(-1, 3)
            xs += [p[:, 0].min(), p[:, 0].max()]
            ys += [p[:, 1].min(), p[:, 1].max()]
            zs.update(np.round(p[:, 2], 4).tolist())
    return {"x": [min(xs), max(xs)], "y": [min(ys), max(ys)], "z": sorted(zs)}


req = json.load(sys.stdin)
if "extent" in req:
    json.dump(extent(req["extent"]), sys.stdout)
    sys.exit(0)
if "read" in req:
    json.dump(read(req["read"]), sys.stdout)
    sys.exit(0)
if "rtstruct" not in req:
    os.makedirs(req["ct"], exist_ok=True)
    o = np.array(req["orientation"], dtype=float)
    normal = np.cross(o[:3], o[3:])
    for k in range(req["slices"]):
        uid = generate_uid()
        ds = base(CT, uid, "CT", req)
        ds.SeriesInstanceUID = req["series"]
        ds.SeriesNumber = 1
        ds.InstanceNumber = k + 1
        ds.FrameOfReferenceUID = req["frameOfReference"]
        ds.PositionReferenceIndicator = ""
        ds.ImagePositionPatient = [f"{v:.4f}" for v in np.array(req["origin"]) + k * req["thickness"] * normal]
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in o]
        ds.PixelSpacing = [f"{v:g}" for v in req["spacing"]]
        ds.SliceThickness = f"{req['thickness']:g}"
        ds.Rows, ds.Columns = req["rows"], req["columns"]
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleIntercept, ds.RescaleSlope = "-1024", "1"
        ds.PixelData = np.zeros((req["rows"], req["columns"]), dtype="<i2").tobytes()
        ds.save_as(os.path.join(req["ct"], f"ct{k:04d}.dcm"), write_like_original=False)
else:
    images = [pydicom.dcmread(os.path.join(req["ct"], f)) for f in sorted(os.listdir(req["ct"]))]
    ds = base(RTSTRUCT, generate_uid(), "RTSTRUCT", req)
    ds.SeriesInstanceUID = generate_uid()
    ds.SeriesNumber = 2
    ds.InstanceNumber = 1
    ds.StructureSetLabel = "contours"
    ds.StructureSetDate = "20260101"
    ds.StructureSetTime = "120000"
    frame = Dataset()
    frame.FrameOfReferenceUID = req["frameOfReference"]
    study = Dataset()
    study.ReferencedSOPClassUID = "1.2.840.10008.3.1.2.3.1"
    study.ReferencedSOPInstanceUID = req["study"]
    series = Dataset()
    series.SeriesInstanceUID = images[0].SeriesInstanceUID
    series.ContourImageSequence = Sequence([Dataset() for _ in images])
    for item, im in zip(series.ContourImageSequence, images):
        item.ReferencedSOPClassUID = CT
        item.ReferencedSOPInstanceUID = im.SOPInstanceUID
    study.RTReferencedSeriesSequence = Sequence([series])
    frame.RTReferencedStudySequence = Sequence([study])
    ds.ReferencedFrameOfReferenceSequence = Sequence([frame])
    ds.StructureSetROISequence = Sequence()
    ds.ROIContourSequence = Sequence()
    ds.RTROIObservationsSequence = Sequence()
    for roi in req["rois"]:
        s = Dataset()
        s.ROINumber = roi["number"]
        s.ReferencedFrameOfReferenceUID = req["frameOfReference"]
        s.ROIName = roi["name"]
        s.ROIGenerationAlgorithm = "MANUAL"
        ds.StructureSetROISequence.append(s)
        c = Dataset()
        c.ROIDisplayColor = roi["color"]
        c.ReferencedROINumber = roi["number"]
        c.ContourSequence = Sequence()
        for contour in roi["contours"]:
            item = Dataset()
            item.ContourGeometricType = contour["type"]
            item.NumberOfContourPoints = len(contour["points"]) // 3
            item.ContourData = [f"{v:.4f}" for v in contour["points"]]
            c.ContourSequence.append(item)
        ds.ROIContourSequence.append(c)
        obs = Dataset()
        obs.ObservationNumber = roi["number"]
        obs.ReferencedROINumber = roi["number"]
        obs.RTROIInterpretedType = roi["type"]
        obs.ROIInterpreter = ""
        ds.RTROIObservationsSequence.append(obs)
    ds.save_as(req["rtstruct"], write_like_original=False)
json.dump({}, sys.stdout)
