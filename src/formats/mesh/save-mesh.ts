// saveMesh (Node): meshes to a file, the format by the path's extension, written atomically.
import { InputError, describeValue } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import { checkOptions } from "../../options.js";
import type { Mesh } from "../../surfaces/mesh.js";
import { encodeGlb } from "./glb.js";
import { encodeObj } from "./obj.js";
import { encodePly } from "./ply.js";
import { encodeStl } from "./stl.js";

/** Mesh writers by extension. */
export const MESH_FORMATS: Readonly<Record<string, (meshes: readonly Mesh[]) => Uint8Array>> = { ".stl": encodeStl, ".obj": encodeObj, ".ply": encodePly, ".glb": encodeGlb };

/** The mesh format of `path` by its extension, or null. */
export function meshFormatOf(path: string): string | null {
  const ext = /\.[^./\\]+$/.exec(path.toLowerCase())?.[0] ?? "";
  return ext in MESH_FORMATS ? ext : null;
}

/**
 * Writes `meshes` to `path` (Node), atomically, in the format its extension names: `.stl`
 * (binary, the meshes as one solid), `.obj` (a group per mesh), `.ply` (binary, vertex
 * colours) or `.glb` (glTF 2.0, a named node per mesh). An existing file is replaced only with
 * `{ overwrite: true }`.
 * @example await saveMesh(meshLabels(seg, { smoothing: 10 }), "organs.glb");
 */
export async function saveMesh(meshes: Mesh | readonly Mesh[], path: string, options: { overwrite?: boolean } = {}): Promise<void> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `saveMesh takes a path, got ${describeValue(path)}; for bytes, use encodeStl, encodeObj, encodePly or encodeGlb.`);
  checkOptions(options, ["overwrite"], "saveMesh");
  const format = meshFormatOf(path);
  if (!format) throw new InputError("INVALID_ARGUMENT", `saveMesh writes .stl, .obj, .ply or .glb; "${path}" is none of them.`);
  const list = Array.isArray(meshes) ? (meshes as readonly Mesh[]) : [meshes as Mesh];
  await fileIO("Saving a mesh").writeAtomic(path, [MESH_FORMATS[format]!(list)], { overwrite: options.overwrite === true });
}
