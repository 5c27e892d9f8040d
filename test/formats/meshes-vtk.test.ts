// The mesh writers (STL, OBJ, PLY, glTF binary) read back by VTK (Debian's python3-vtk9,
// test/helpers/vtk_meshes.py), an independent reader: the same points and triangles, no
// boundary or non-manifold edge, the volume meshLabels' triangles enclose, OBJ's groups,
// PLY's colours, glTF's named nodes in metres; and the GLB's chunks and accessors against the
// glTF 2.0 specification's rules. An oracle suite: it runs once, not per Node.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, encodeGlb, meshLabels, saveMesh } from "../../src/node.js";
import { medmask } from "../helpers/cli.js";
import { requireComponent } from "../helpers/component.js";
import { tempDir } from "../helpers/files.js";
import { meshFacts } from "../helpers/meshes.js";

const SCRIPT = fileURLToPath(new URL("../helpers/vtk_meshes.py", import.meta.url));
const hasVtk = requireComponent("VTK", spawnSync("/usr/bin/python3", ["-c", "import vtk"]).status === 0, "apt-get install python3-vtk9");

interface VtkFacts {
  points: number;
  triangles: number;
  volume: number;
  badEdges: number;
  bounds: number[];
  colors?: number[][];
  groups?: number;
  blocks?: (VtkFacts & { path: (string | null)[] })[];
}

function vtkRead(files: string[]): VtkFacts[] {
  const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify({ files }), encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as VtkFacts[];
}

/** Three organs, two of them touching, in a turned grid. */
function organs(): SegmentationMask<string> {
  const space = new Space({ shape: [20, 24, 28], spacing: [1.5, 0.8, 0.9], origin: [-30, 12, 80] }).applyRotate(0, 25);
  const [nz, ny, nx] = space.shape, data = new Uint8Array(nz * ny * nx);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if ((x - 10) ** 2 + (y - 11) ** 2 + (z - 9) ** 2 <= 49) data[i] = x < 11 ? 1 : 2;
        if ((x - 22) ** 2 + (y - 6) ** 2 + (z - 12) ** 2 <= 9) data[i] = 3;
      }
  const seg = new SegmentationMask(data, { "left part": 1, right: 2, small: 3 }, space);
  seg.setMetadata("small", { color: [1, 0.5, 0] });
  return seg;
}

describe.skipIf(!hasVtk)("mesh files read back by VTK", () => {
  it("STL, OBJ and PLY: VTK reads the points and triangles written, closed and manifold, enclosing the volume of our triangles", async () => {
    const dir = tempDir(), seg = organs();
    const meshes = meshLabels(seg, { smoothing: 10, normals: true });
    const mine = meshes.map((m) => meshFacts(m.positions, m.indices));
    const points = meshes.reduce((n, m) => n + m.positions.length / 3, 0), triangles = meshes.reduce((n, m) => n + m.indices.length / 3, 0);
    const volume = mine.reduce((v, f) => v + f.volume, 0);
    const paths = ["organs.obj", "organs.ply", "small.stl"].map((name) => join(dir, name));
    await saveMesh(meshes, paths[0]!);
    await saveMesh(meshes, paths[1]!);
    await saveMesh(meshes[2]!, paths[2]!);
    const [obj, ply, stl] = vtkRead(paths);
    for (const f of [obj!, ply!]) {
      expect(f.points).toBe(points);
      expect(f.triangles).toBe(triangles);
      expect(f.badEdges).toBe(0);
      expect(f.volume).toBeCloseTo(volume, 0);
    }
    expect(obj!.groups).toBe(3);
    // Each mesh's colour on its vertices: the metadata's orange for "small".
    expect(ply!.colors).toContainEqual([255, 128, 0]);
    expect(ply!.colors).toHaveLength(3);
    // STL keeps no indices: VTK merges the corners of its triangles back into points.
    expect(stl!.triangles).toBe(meshes[2]!.indices.length / 3);
    expect(stl!.points).toBe(meshes[2]!.positions.length / 3);
    expect(stl!.badEdges).toBe(0);
    expect(stl!.volume).toBeCloseTo(mine[2]!.volume, 1);
    expect(readFileSync(paths[2]!).subarray(0, 80).toString("latin1")).toContain("SPACE=LPS");
  });

  it("glTF binary: VTK's glTF reader finds the root node, one node per organ under it with its mesh, in metres, enclosing a thousandth cubed of the volume", async () => {
    const dir = tempDir(), seg = organs();
    const meshes = meshLabels(seg, { normals: true });
    await saveMesh(meshes, join(dir, "organs.glb"));
    const [glb] = vtkRead([join(dir, "organs.glb")]);
    // VTK names blocks by their index (the names are checked in the JSON below).
    expect(glb!.blocks!.map((b) => b.path.slice(0, 3))).toStrictEqual([0, 1, 2].map((i) => ["Node_3", `Node_${i}`, `Mesh_${i}`]));
    glb!.blocks!.forEach((b, i) => {
      const m = meshes[i]!;
      expect(b.points).toBe(m.positions.length / 3);
      expect(b.triangles).toBe(m.indices.length / 3);
      expect(b.badEdges).toBe(0);
      expect(b.volume * 1e9).toBeCloseTo(meshFacts(m.positions, m.indices).volume, 0);
    });
  });
});

describe("glTF binary structure (the specification's rules)", () => {
  it("a GLB header, a JSON chunk padded with spaces and a BIN chunk with zeros, 4-byte aligned views, accessors within their views, POSITION with min and max, a named node per mesh with its colour", () => {
    const meshes = meshLabels(organs(), { normals: true });
    const bytes = encodeGlb(meshes), view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true)).toBe(0x46546c67);
    expect(view.getUint32(4, true)).toBe(2);
    expect(view.getUint32(8, true)).toBe(bytes.length);
    const jsonLength = view.getUint32(12, true);
    expect(view.getUint32(16, true)).toBe(0x4e4f534a);
    expect(jsonLength % 4).toBe(0);
    const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength)));
    const binAt = 20 + jsonLength, binLength = view.getUint32(binAt, true);
    expect(view.getUint32(binAt + 4, true)).toBe(0x004e4942);
    expect(binLength % 4).toBe(0);
    expect(binAt + 8 + binLength).toBe(bytes.length);
    expect(json.asset.version).toBe("2.0");
    expect(json.buffers).toStrictEqual([{ byteLength: binLength }]);
    for (const v of json.bufferViews) {
      expect(v.byteOffset % 4).toBe(0);
      expect(v.byteOffset + v.byteLength).toBeLessThanOrEqual(binLength);
    }
    const size = { SCALAR: 1, VEC3: 3 } as Record<string, number>;
    for (const a of json.accessors) expect(a.count * size[a.type]! * 4).toBeLessThanOrEqual(json.bufferViews[a.bufferView].byteLength);
    meshes.forEach((m, i) => {
      const node = json.nodes[i], mesh = json.meshes[node.mesh], prim = mesh.primitives[0];
      expect(node.name).toBe(m.name);
      expect(json.materials[prim.material].pbrMetallicRoughness.baseColorFactor).toStrictEqual([...m.color, 1]);
      const pos = json.accessors[prim.attributes.POSITION];
      expect(pos.count).toBe(m.positions.length / 3);
      for (let k = 0; k < 3; k++) expect(pos.min[k]).toBe(Math.min(...Array.from(m.positions.filter((_, j) => j % 3 === k))));
      expect(json.accessors[prim.indices].count).toBe(m.indices.length);
      expect(json.accessors[prim.attributes.NORMAL].count).toBe(m.positions.length / 3);
    });
    // The root node turns LPS millimetres into glTF's metres, superior up.
    const root = json.nodes[json.scenes[0].nodes[0]];
    expect(root.children).toStrictEqual([0, 1, 2]);
    expect(root.matrix).toStrictEqual([0.001, 0, 0, 0, 0, 0, -0.001, 0, 0, 0.001, 0, 0, 0, 0, 0, 1]);
  });
});

void medmask;
