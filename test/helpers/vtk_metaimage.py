"""VTK's MetaImage reader and writer (Debian's python3-vtk9), the other side of
metaimage-vtk.test.ts. Request on stdin: {"read": path} -> dims (x, y, z), spacing, origin,
scalar type and the sha256 of the voxels as little-endian uint32, x fastest; or {"write":
path, "raw": raw path, "dtype", "dims" (x, y, z), "spacing", "origin", "compress"} -> {}."""
import hashlib
import json
import sys

import numpy as np
import vtk
from vtk.util import numpy_support

req = json.load(sys.stdin)
if "read" in req:
    reader = vtk.vtkMetaImageReader()
    reader.SetFileName(req["read"])
    reader.Update()
    image = reader.GetOutput()
    voxels = numpy_support.vtk_to_numpy(image.GetPointData().GetScalars())
    json.dump({
        "dims": list(image.GetDimensions()),
        "spacing": list(image.GetSpacing()),
        "origin": list(image.GetOrigin()),
        "type": image.GetScalarTypeAsString(),
        "sha256": hashlib.sha256(voxels.astype("<u4").tobytes()).hexdigest(),
    }, sys.stdout)
else:
    data = np.fromfile(req["raw"], dtype=req["dtype"])
    image = vtk.vtkImageData()
    image.SetDimensions(*req["dims"])
    image.SetSpacing(*req["spacing"])
    image.SetOrigin(*req["origin"])
    image.GetPointData().SetScalars(numpy_support.numpy_to_vtk(data, deep=True))
    writer = vtk.vtkMetaImageWriter()
    writer.SetFileName(req["write"])
    writer.SetCompression(bool(req["compress"]))
    writer.SetInputData(image)
    writer.Write()
    json.dump({}, sys.stdout)
