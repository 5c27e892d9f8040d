// Binary STL (the 3-D printing format): 80 bytes of header, the triangle count, then per
// triangle its unit normal, three vertices (float32, little-endian) and two bytes of zero.
import type { Mesh } from "../../surfaces/mesh.js";
import { meshList, meshName, spaceNote } from "./meshes.js";

/**
 * Binary STL of one mesh (or several, as one solid): every triangle with its normal, the
 * header saying the coordinates ("SPACE=LPS", as 3D Slicer writes and reads it).
 * @example writeFileSync("liver.stl", encodeStl(meshLabels(seg, { names: ["liver"] })[0]));
 */
export function encodeStl(meshes: Mesh | readonly Mesh[]): Uint8Array {
  const list = meshList(meshes, "encodeStl");
  const triangles = list.reduce((n, m) => n + m.indices.length / 3, 0);
  const out = new Uint8Array(84 + 50 * triangles), view = new DataView(out.buffer);
  const header = `medmask ${spaceNote(list)} ${list.map(meshName).join(",")}`.slice(0, 80);
  // "solid" must not start a binary file's header (readers would take it for ASCII STL).
  out.set(new TextEncoder().encode(header), 0);
  view.setUint32(80, triangles, true);
  let at = 84;
  for (const { positions: p, indices } of list) {
    for (let t = 0; t < indices.length; t += 3) {
      const a = 3 * indices[t]!, b = 3 * indices[t + 1]!, c = 3 * indices[t + 2]!;
      const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
      const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
      let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      const length = Math.hypot(nx, ny, nz) || 1;
      [nx, ny, nz] = [nx / length, ny / length, nz / length];
      for (const v of [nx, ny, nz, p[a]!, p[a + 1]!, p[a + 2]!, p[b]!, p[b + 1]!, p[b + 2]!, p[c]!, p[c + 1]!, p[c + 2]!]) {
        view.setFloat32(at, v, true);
        at += 4;
      }
      at += 2;
    }
  }
  return out;
}
