"""Edits a DICOM file with pydicom: `python3 dicom_edit.py src dst CODE` runs CODE with `d`
(the data set) and `pydicom` in scope, then saves `d` at dst (for hostile-file tests)."""
import sys

import pydicom

src, dst, code = sys.argv[1:4]
d = pydicom.dcmread(src)
exec(code, {"d": d, "pydicom": pydicom})
d.save_as(dst)
