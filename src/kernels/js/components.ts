// Connected components of a binary volume in plain TypeScript: the same two passes and
// union-find as assembly/components.ts, so both backends number components alike.
import type { Dims } from "../types.js";

function find(parent: Uint32Array, x: number): number {
  let p = parent[x]!;
  while (p !== x) {
    const gp = parent[p]!;
    parent[x] = gp;
    x = p;
    p = gp;
  }
  return x;
}

function join(parent: Uint32Array, a: number, b: number): number {
  if (a === b) return a;
  if (a < b) {
    parent[b] = a;
    return a;
  }
  parent[a] = b;
  return b;
}

/** `Kernels.components`: ids 1..count in the order of each component's first voxel. */
export function components(src: Uint8Array, [nz, ny, nx]: Dims, connectivity: 6 | 18 | 26): { ids: Uint32Array; count: number } {
  const plane = ny * nx;
  const n = nz * plane;
  const ids = new Uint32Array(n);
  const parent = new Uint32Array(n + 2);
  let next = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const i = z * plane + y * nx + x;
        if (src[i] === 0) continue;
        let label = 0;
        for (let dz = -1; dz <= 0; dz++) {
          if (dz < 0 && z === 0) continue;
          for (let dy = -1; dy <= 1; dy++) {
            if (dz === 0 && dy > 0) break;
            if ((dy < 0 && y === 0) || (dy > 0 && y + 1 === ny)) continue;
            for (let dx = -1; dx <= 1; dx++) {
              if (dz === 0 && dy === 0 && dx >= 0) break;
              if ((dx < 0 && x === 0) || (dx > 0 && x + 1 === nx)) continue;
              const far = (dz !== 0 ? 1 : 0) + (dy !== 0 ? 1 : 0) + (dx !== 0 ? 1 : 0);
              if ((connectivity === 6 && far > 1) || (connectivity === 18 && far > 2)) continue;
              const other = ids[i + dz * plane + dy * nx + dx]!;
              if (other === 0) continue;
              const root = find(parent, other);
              label = label === 0 ? root : join(parent, find(parent, label), root);
            }
          }
        }
        if (label === 0) {
          next++;
          parent[next] = next;
          label = next;
        }
        ids[i] = label;
      }
    }
  }
  const final = new Uint32Array(next + 1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const l = ids[i]!;
    if (l === 0) continue;
    const root = find(parent, l);
    let f = final[root]!;
    if (f === 0) {
      f = ++count;
      final[root] = f;
    }
    ids[i] = f;
  }
  return { ids, count };
}
