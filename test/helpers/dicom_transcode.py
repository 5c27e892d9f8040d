"""Rewrites a DICOM file in another transfer syntax with pydicom: big (explicit VR big
endian), deflated (Deflated Explicit VR Little Endian) or rle (RLE Lossless, 8/16-bit only)."""
import sys

import pydicom
from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, RLELossless

src, dst, kind = sys.argv[1:4]
d = pydicom.dcmread(src)
if kind == "big":
    d.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
    d.is_little_endian = False
    d.is_implicit_VR = False
elif kind == "deflated":
    d.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
elif kind == "rle":
    d.compress(RLELossless)
else:
    raise SystemExit(f"unknown kind {kind}")
d.save_as(dst)
