// What the mesh writers share: one mesh or several taken alike, checked, and the note of the
// world coordinates every format carries (as 3D Slicer writes "SPACE=LPS" in its files'
// headers and reads it back).
import { InputError, describeValue } from "../../errors.js";
import type { Mesh } from "../../surfaces/mesh.js";

/** `meshes` as a list, each checked to be a mesh (positions, indices within them). */
export function meshList(meshes: Mesh | readonly Mesh[], where: string): readonly Mesh[] {
  const list = Array.isArray(meshes) ? (meshes as readonly Mesh[]) : [meshes as Mesh];
  for (const m of list) {
    const ok = typeof m === "object" && m !== null && m.positions instanceof Float32Array && m.indices instanceof Uint32Array && m.positions.length % 3 === 0 && m.indices.length % 3 === 0 && (m.normals === undefined || (m.normals instanceof Float32Array && m.normals.length === m.positions.length));
    if (!ok) throw new InputError("INVALID_ARGUMENT", `${where} takes meshes as meshLabels gives them ({ name, positions: Float32Array, indices: Uint32Array, ... }), got ${describeValue(m)}.`);
    const n = m.positions.length / 3;
    for (let k = 0; k < m.indices.length; k++) if (m.indices[k]! >= n) throw new InputError("INVALID_ARGUMENT", `${where}: mesh "${m.name}" has a triangle on vertex ${m.indices[k]}, beyond its ${n} vertices.`);
  }
  if (list.length > 0 && list.some((m) => m.coordinates !== list[0]!.coordinates)) throw new InputError("INVALID_ARGUMENT", `${where}: the meshes are in different coordinates (${[...new Set(list.map((m) => m.coordinates))].join(", ")}); make them with one { coordinates }.`);
  return list;
}

/** The coordinates of the meshes, as their files say it ("SPACE=LPS"). */
export const spaceNote = (meshes: readonly Mesh[]): string => `SPACE=${meshes[0]?.coordinates ?? "LPS"}`;

/** A colour component in 0..1 as a byte. */
export const byte = (v: number): number => Math.max(0, Math.min(255, Math.round(v * 255)));

/** A mesh's name in a file: its label's name, and its piece's number when it is one piece of several. */
export const meshName = (m: Mesh): string => (m.piece === undefined ? m.name : `${m.name} ${m.piece}`);
