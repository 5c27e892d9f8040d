"""The Python side of `npm run bench formats`: the 117-organ mask as MGZ read by nibabel
(Debian's python3-nibabel: nib.load + the voxels as an array), and as MetaImage (.mha) read by
VTK (python3-vtk9: vtkMetaImageReader, Update), each file read whole from disk, median of
`repeats`; a reader that does not give every voxel is left out. Prints milliseconds as JSON.
(VTK's vtkNrrdReader reads no gzip-encoded NRRD, so NRRD has no row here.)"""
import json
import statistics
import sys
import time

req = json.load(sys.stdin)
out = {}


def median_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


try:
    import nibabel as nib
    import numpy as np

    out["mgz"] = median_ms(lambda: np.asanyarray(nib.load(req["mgz"]).dataobj), req["repeats"])
except ImportError:
    pass

try:
    import vtk

    def read():
        reader = vtk.vtkMetaImageReader()
        reader.SetFileName(req["mha"])
        reader.Update()
        return reader.GetOutput()

    if read().GetNumberOfPoints() == req["voxels"]:
        out["mha"] = median_ms(read, req["repeats"])
except ImportError:
    pass

print(json.dumps(out))
