// Wavefront OBJ: text, one object (`o`) and group (`g`) per mesh with its name, vertices
// (`v`), normals (`vn`) when the meshes have them, and triangles (`f`, 1-based, over the whole
// file's vertices). OBJ keeps colours in a separate .mtl file; the colour is written as a
// comment beside each object instead, so the file stands alone.
import type { Mesh } from "../../surfaces/mesh.js";
import { meshList, meshName, spaceNote } from "./meshes.js";

/** A float32 in the fewest digits that read back to it. */
const num = (v: number): string => {
  for (let digits = 6; digits < 9; digits++) {
    const s = v.toPrecision(digits);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
};

/**
 * OBJ text of `meshes`: one named object and group per mesh (its colour in a comment), its
 * vertices, normals when it has them, and its triangles.
 * @example writeFileSync("organs.obj", encodeObj(meshLabels(seg)));
 */
export function encodeObj(meshes: Mesh | readonly Mesh[]): Uint8Array {
  const list = meshList(meshes, "encodeObj");
  const lines = ["# medmask", `# ${spaceNote(list)}`];
  let base = 1;
  for (const m of list) {
    const name = meshName(m).replace(/\s+/g, "_") || `label_${m.label}`;
    lines.push(`o ${name}`, `g ${name}`, `# label ${m.label} color ${m.color.map((c) => num(Math.fround(c))).join(" ")}`);
    const p = m.positions;
    for (let v = 0; v < p.length; v += 3) lines.push(`v ${num(p[v]!)} ${num(p[v + 1]!)} ${num(p[v + 2]!)}`);
    if (m.normals) for (let v = 0; v < p.length; v += 3) lines.push(`vn ${num(m.normals[v]!)} ${num(m.normals[v + 1]!)} ${num(m.normals[v + 2]!)}`);
    const i = m.indices;
    for (let t = 0; t < i.length; t += 3) {
      const [a, b, c] = [i[t]! + base, i[t + 1]! + base, i[t + 2]! + base];
      lines.push(m.normals ? `f ${a}//${a} ${b}//${b} ${c}//${c}` : `f ${a} ${b} ${c}`);
    }
    base += p.length / 3;
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}
