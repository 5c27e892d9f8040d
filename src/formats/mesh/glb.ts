// glTF 2.0 binary (.glb): a JSON chunk (the scene: one node per mesh, named, with a material
// of its colour) and a binary chunk (positions, normals, indices; each view 4-byte aligned).
// The vertices stay in the meshes' millimetres and patient axes; a root node's matrix turns
// them into glTF's frame (metres, +Y up = superior, +Z front = anterior, +X = the patient's
// left), so a viewer shows the patient upright and a reader of the accessors gets the
// positions as meshLabels made them.
import type { Mesh } from "../../surfaces/mesh.js";
import { meshList, spaceNote } from "./meshes.js";

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
  const parts: Uint8Array[] = [];
  let binLength = 0;
  const bufferViews: object[] = [], accessors: object[] = [], gltfMeshes: object[] = [], materials: object[] = [], nodes: object[] = [];
  const view = (bytes: Uint8Array, target: number): number => {
    bufferViews.push({ buffer: 0, byteOffset: binLength, byteLength: bytes.length, target });
    parts.push(bytes);
    binLength += bytes.length;
    const pad = (4 - (binLength % 4)) % 4;
    if (pad) {
      parts.push(new Uint8Array(pad));
      binLength += pad;
    }
    return bufferViews.length - 1;
  };
  const bytesOf = (a: Float32Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (const m of list) {
    const n = m.positions.length / 3, min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
    for (let v = 0; v < m.positions.length; v += 3) {
      for (let k = 0; k < 3; k++) {
        min[k] = Math.min(min[k]!, m.positions[v + k]!);
        max[k] = Math.max(max[k]!, m.positions[v + k]!);
      }
    }
    const attributes: Record<string, number> = {};
    accessors.push({ bufferView: view(bytesOf(m.positions), ARRAY_BUFFER), componentType: FLOAT, count: n, type: "VEC3", min, max });
    attributes.POSITION = accessors.length - 1;
    if (m.normals) {
      accessors.push({ bufferView: view(bytesOf(m.normals), ARRAY_BUFFER), componentType: FLOAT, count: n, type: "VEC3" });
      attributes.NORMAL = accessors.length - 1;
    }
    accessors.push({ bufferView: view(bytesOf(m.indices), ELEMENT_ARRAY_BUFFER), componentType: UNSIGNED_INT, count: m.indices.length, type: "SCALAR" });
    materials.push({ name: m.name, pbrMetallicRoughness: { baseColorFactor: [...m.color, 1], metallicFactor: 0, roughnessFactor: 0.6 } });
    gltfMeshes.push({ name: m.name, primitives: [{ attributes, indices: accessors.length - 1, material: materials.length - 1, mode: TRIANGLES }] });
    nodes.push({ name: m.name, mesh: gltfMeshes.length - 1, extras: { label: m.label } });
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
  let jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  // The JSON chunk is padded with spaces to 4 bytes, the binary chunk with zeros.
  const jsonPad = (4 - (jsonBytes.length % 4)) % 4;
  if (jsonPad) {
    const padded = new Uint8Array(jsonBytes.length + jsonPad).fill(0x20);
    padded.set(jsonBytes);
    jsonBytes = padded;
  }
  const total = 12 + 8 + jsonBytes.length + (list.length > 0 ? 8 + binLength : 0);
  const out = new Uint8Array(total), dv = new DataView(out.buffer);
  dv.setUint32(0, 0x46546c67, true); // "glTF"
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonBytes.length, true);
  dv.setUint32(16, 0x4e4f534a, true); // "JSON"
  out.set(jsonBytes, 20);
  if (list.length > 0) {
    let at = 20 + jsonBytes.length;
    dv.setUint32(at, binLength, true);
    dv.setUint32(at + 4, 0x004e4942, true); // "BIN\0"
    at += 8;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
  }
  return out;
}
