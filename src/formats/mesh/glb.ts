// glTF 2.0 binary (.glb): a JSON chunk (the scene: one node per mesh, named, with a material
// of its colour) and a binary chunk (positions, normals, indices; each view 4-byte aligned).
// The vertices stay in the meshes' millimetres and patient axes; a root node's matrix turns
// them into glTF's frame (metres, +Y up = superior, +Z front = anterior, +X = the patient's
// left), so a viewer shows the patient upright and a reader of the accessors gets the
// positions as meshLabels made them.
import type { Mesh } from "../../surfaces/mesh.js";
import { meshList, meshName, spaceNote } from "./meshes.js";

const ARRAY_BUFFER = 34962, ELEMENT_ARRAY_BUFFER = 34963, FLOAT = 5126, UNSIGNED_INT = 5125, TRIANGLES = 4;

/** Column-major 4x4: patient LPS or RAS millimetres to glTF metres (X left, Y superior, Z anterior). */
function rootMatrix(coordinates: "LPS" | "RAS"): number[] {
  const s = 0.001, lr = coordinates === "LPS" ? 1 : -1, pa = coordinates === "LPS" ? -1 : 1;
  // Columns: where the patient's x, y and z axes go.
  return [lr * s, 0, 0, 0, 0, 0, pa * s, 0, 0, s, 0, 0, 0, 0, 0, 1];
}

/**
 * glTF 2.0 binary of `meshes`: one named node per mesh with its colour as its material, under
 * a root node that places them in glTF's frame (the accessors keep the meshes' millimetres).
 * @example writeFileSync("organs.glb", encodeGlb(meshLabels(seg, { smoothing: 10, normals: true })));
 */
export function encodeGlb(meshes: Mesh | readonly Mesh[]): Uint8Array {
  const list = meshList(meshes, "encodeGlb").filter((m) => m.indices.length > 0);
  // The binary chunk's layout first (each view 4-byte aligned), so the arrays are copied once, into the file.
  const pieces: { bytes: Uint8Array; at: number }[] = [];
  let binLength = 0;
  const bufferViews: object[] = [], accessors: object[] = [], gltfMeshes: object[] = [], materials: object[] = [], nodes: object[] = [];
  const view = (a: Float32Array | Uint32Array, target: number): number => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    bufferViews.push({ buffer: 0, byteOffset: binLength, byteLength: bytes.length, target });
    pieces.push({ bytes, at: binLength });
    binLength += bytes.length + ((4 - (bytes.length % 4)) % 4);
    return bufferViews.length - 1;
  };
  for (const m of list) {
    const p = m.positions, n = p.length / 3;
    let [x0, y0, z0, x1, y1, z1] = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
    for (let v = 0; v < p.length; v += 3) {
      const x = p[v]!, y = p[v + 1]!, z = p[v + 2]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
    const attributes: Record<string, number> = {};
    accessors.push({ bufferView: view(p, ARRAY_BUFFER), componentType: FLOAT, count: n, type: "VEC3", min: [x0, y0, z0], max: [x1, y1, z1] });
    attributes.POSITION = accessors.length - 1;
    if (m.normals) {
      accessors.push({ bufferView: view(m.normals, ARRAY_BUFFER), componentType: FLOAT, count: n, type: "VEC3" });
      attributes.NORMAL = accessors.length - 1;
    }
    accessors.push({ bufferView: view(m.indices, ELEMENT_ARRAY_BUFFER), componentType: UNSIGNED_INT, count: m.indices.length, type: "SCALAR" });
    materials.push({ name: meshName(m), pbrMetallicRoughness: { baseColorFactor: [...m.color, 1], metallicFactor: 0, roughnessFactor: 0.6 } });
    gltfMeshes.push({ name: meshName(m), primitives: [{ attributes, indices: accessors.length - 1, material: materials.length - 1, mode: TRIANGLES }] });
    nodes.push({ name: meshName(m), mesh: gltfMeshes.length - 1, extras: { label: m.label, ...(m.piece === undefined ? {} : { piece: m.piece }) } });
  }
  const coordinates = list[0]?.coordinates ?? "LPS";
  nodes.push({ name: `patient (${coordinates} mm)`, children: list.map((_, i) => i), matrix: rootMatrix(coordinates) });
  const json = {
    asset: { version: "2.0", generator: "medmask", extras: { space: spaceNote(list) } },
    scene: 0,
    scenes: [{ nodes: [nodes.length - 1] }],
    nodes,
    ...(list.length > 0 ? { meshes: gltfMeshes, materials, accessors, bufferViews, buffers: [{ byteLength: binLength }] } : {}),
  };
  const text = new TextEncoder().encode(JSON.stringify(json));
  // The JSON chunk is padded with spaces to 4 bytes, the binary chunk with zeros.
  const jsonLength = text.length + ((4 - (text.length % 4)) % 4);
  const total = 12 + 8 + jsonLength + (list.length > 0 ? 8 + binLength : 0);
  const out = new Uint8Array(total), dv = new DataView(out.buffer);
  dv.setUint32(0, 0x46546c67, true); // "glTF"
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonLength, true);
  dv.setUint32(16, 0x4e4f534a, true); // "JSON"
  out.set(text, 20);
  out.fill(0x20, 20 + text.length, 20 + jsonLength);
  if (list.length > 0) {
    const bin = 20 + jsonLength;
    dv.setUint32(bin, binLength, true);
    dv.setUint32(bin + 4, 0x004e4942, true); // "BIN\0"
    for (const { bytes, at } of pieces) out.set(bytes, bin + 8 + at);
  }
  return out;
}
