"""Mesh files read back by VTK (Debian's python3-vtk9), the independent reader of the mesh
writers' tests: points, triangles, enclosed volume (vtkMassProperties), boundary and
non-manifold edges (vtkFeatureEdges), and per format what it carries (STL's header, OBJ's
groups, PLY's colours, glTF's named blocks). Request on stdin: {"files": [paths]}; answer on
stdout: one JSON object per file."""
import json
import sys

import vtk


def facts(polydata):
    tri = vtk.vtkTriangleFilter()
    tri.SetInputData(polydata)
    tri.Update()
    pd = tri.GetOutput()
    mass = vtk.vtkMassProperties()
    mass.SetInputData(pd)
    mass.Update()
    edges = vtk.vtkFeatureEdges()
    edges.SetInputData(pd)
    edges.BoundaryEdgesOn()
    edges.NonManifoldEdgesOn()
    edges.FeatureEdgesOff()
    edges.ManifoldEdgesOff()
    edges.Update()
    return {
        "points": pd.GetNumberOfPoints(),
        "triangles": pd.GetNumberOfCells(),
        "volume": mass.GetVolume(),
        "badEdges": edges.GetOutput().GetNumberOfCells(),
        "bounds": list(pd.GetBounds()),
    }


def read(path):
    ext = path.rsplit(".", 1)[1].lower()
    if ext == "glb":
        reader = vtk.vtkGLTFReader()
        reader.SetFileName(path)
        reader.Update()
        # VTK 9.1 names its blocks Node_<i> / Mesh_<i> (not by the nodes' names): each leaf
        # with the path of block names to it.
        blocks = []

        def walk(block, path):
            for i in range(block.GetNumberOfBlocks()):
                meta, child = block.GetMetaData(i), block.GetBlock(i)
                name = meta.Get(vtk.vtkCompositeDataSet.NAME()) if meta and meta.Has(vtk.vtkCompositeDataSet.NAME()) else None
                if child is not None and child.IsA("vtkMultiBlockDataSet"):
                    walk(child, path + [name])
                elif child is not None:
                    blocks.append({"path": path + [name], **facts(child)})

        walk(reader.GetOutput(), [])
        return {"blocks": blocks}
    reader = {"stl": vtk.vtkSTLReader, "ply": vtk.vtkPLYReader, "obj": vtk.vtkOBJReader}[ext]()
    reader.SetFileName(path)
    if ext == "stl":
        reader.ScalarTagsOff()
    reader.Update()
    pd = reader.GetOutput()
    out = facts(pd)
    if ext == "ply":
        colors = pd.GetPointData().GetScalars()
        out["colors"] = sorted({tuple(int(c) for c in colors.GetTuple3(i)) for i in range(colors.GetNumberOfTuples())}) if colors else []
    if ext == "obj":
        groups = pd.GetCellData().GetArray("GroupIds")
        out["groups"] = len({int(groups.GetTuple1(i)) for i in range(groups.GetNumberOfTuples())}) if groups else 0
    if ext == "stl":
        out["header"] = reader.GetHeader() if hasattr(reader, "GetHeader") else ""
    return out


request = json.load(sys.stdin)
json.dump([read(path) for path in request["files"]], sys.stdout)
