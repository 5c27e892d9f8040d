// PLY, binary little-endian: vertices (x, y, z as float32, normals when the meshes have them,
// and the mesh's colour as red, green, blue bytes), then triangles as a list of three int32s.
import type { Mesh } from "../../surfaces/mesh.js";
import { byte, meshList, meshName, spaceNote } from "./meshes.js";

/**
 * Binary PLY of one mesh (or several in one file, told apart by their vertex colours): the
 * header's comments give the coordinates ("SPACE=LPS") and the meshes' names and labels.
 * @example writeFileSync("liver.ply", encodePly(liver));
 */
export function encodePly(meshes: Mesh | readonly Mesh[]): Uint8Array {
  const list = meshList(meshes, "encodePly");
  const withNormals = list.length > 0 && list.every((m) => m.normals !== undefined);
  const vertices = list.reduce((n, m) => n + m.positions.length / 3, 0), faces = list.reduce((n, m) => n + m.indices.length / 3, 0);
  const header = [
    "ply",
    "format binary_little_endian 1.0",
    "comment medmask",
    `comment ${spaceNote(list)}`,
    ...list.map((m) => `comment label ${m.label} ${meshName(m).replace(/\s+/g, "_")}`),
    `element vertex ${vertices}`,
    "property float x",
    "property float y",
    "property float z",
    ...(withNormals ? ["property float nx", "property float ny", "property float nz"] : []),
    "property uchar red",
    "property uchar green",
    "property uchar blue",
    `element face ${faces}`,
    "property list uchar int vertex_indices",
    "end_header",
  ].join("\n") + "\n";
  const head = new TextEncoder().encode(header);
  const vertexBytes = (withNormals ? 24 : 12) + 3;
  const out = new Uint8Array(head.length + vertices * vertexBytes + faces * 13), view = new DataView(out.buffer);
  out.set(head, 0);
  let at = head.length, base = 0;
  for (const m of list) {
    const [r, g, b] = m.color.map(byte) as [number, number, number];
    for (let v = 0; v < m.positions.length; v += 3) {
      for (let k = 0; k < 3; k++, at += 4) view.setFloat32(at, m.positions[v + k]!, true);
      if (withNormals) for (let k = 0; k < 3; k++, at += 4) view.setFloat32(at, m.normals![v + k]!, true);
      out[at++] = r;
      out[at++] = g;
      out[at++] = b;
    }
  }
  for (const m of list) {
    for (let t = 0; t < m.indices.length; t += 3) {
      out[at++] = 3;
      for (let k = 0; k < 3; k++, at += 4) view.setInt32(at, m.indices[t + k]! + base, true);
    }
    base += m.positions.length / 3;
  }
  return out;
}
