"""VTK's side of `npm run bench surfaces` (Debian's python3-vtk9): the surfaces of every label
of a raw label volume by vtkDiscreteMarchingCubes and by vtkDiscreteFlyingEdges3D, every
label in one call (SetValue per label), on the volume's spacing; best of `repeats`, in ms,
with the triangles made. Request on stdin: path, dtype, shape (z, y, x), spacing (z, y, x),
labels, repeats."""
import json
import sys
import time

import numpy as np
import vtk
from vtk.util import numpy_support

req = json.load(sys.stdin)
data = np.fromfile(req["path"], dtype=req["dtype"]).reshape(req["shape"])
image = vtk.vtkImageData()
nz, ny, nx = req["shape"]
image.SetDimensions(nx, ny, nz)
sz, sy, sx = req["spacing"]
image.SetSpacing(sx, sy, sz)
image.GetPointData().SetScalars(numpy_support.numpy_to_vtk(data.ravel(), deep=False))


def run(make):
    def once():
        f = make()
        f.SetInputData(image)
        for i, label in enumerate(req["labels"]):
            f.SetValue(i, label)
        f.ComputeNormalsOff()
        f.ComputeGradientsOff()
        f.Update()
        return f.GetOutput().GetNumberOfCells()

    times, triangles = [], 0
    for _ in range(req.get("repeats", 3)):
        t = time.perf_counter()
        triangles = once()
        times.append((time.perf_counter() - t) * 1000)
    return {"ms": min(times), "triangles": triangles}


json.dump({"marchingCubes": run(vtk.vtkDiscreteMarchingCubes), "flyingEdges": run(vtk.vtkDiscreteFlyingEdges3D)}, sys.stdout)
