// What every surface must be, checked from its triangles alone: closed and consistently
// oriented (every directed edge once, its reverse once), each vertex a disc (the triangles
// around it one cycle), its enclosed volume (the divergence theorem), its Euler
// characteristic and its connected pieces.

export interface MeshFacts {
  /** Directed edges not matched by exactly one reverse edge, or seen twice. */
  openEdges: number;
  /** Vertices whose triangles do not form one cycle around them (unused vertices not counted). */
  pinchedVertices: number;
  unusedVertices: number;
  /** Signed volume: positive when the triangles face out. */
  volume: number;
  euler: number;
  pieces: number;
}

export function meshFacts(positions: ArrayLike<number>, indices: ArrayLike<number>): MeshFacts {
  const nv = positions.length / 3, nt = indices.length / 3;
  const directed = new Map<number, number>();
  const key = (a: number, b: number) => a * nv + b;
  let volume = 0;
  const p = (v: number, k: number) => positions[3 * v + k]!;
  for (let t = 0; t < nt; t++) {
    const a = indices[3 * t]!, b = indices[3 * t + 1]!, c = indices[3 * t + 2]!;
    for (const [u, v] of [[a, b], [b, c], [c, a]] as const) directed.set(key(u, v), (directed.get(key(u, v)) ?? 0) + 1);
    volume += (p(a, 0) * (p(b, 1) * p(c, 2) - p(b, 2) * p(c, 1)) - p(a, 1) * (p(b, 0) * p(c, 2) - p(b, 2) * p(c, 0)) + p(a, 2) * (p(b, 0) * p(c, 1) - p(b, 1) * p(c, 0))) / 6;
  }
  let openEdges = 0;
  for (const [k, n] of directed) {
    const u = Math.floor(k / nv), v = k - u * nv;
    if (n !== 1 || directed.get(key(v, u)) !== 1) openEdges++;
  }
  // Around each vertex: the link edges (b -> c for each triangle a, b, c at a) make one cycle.
  const link = new Map<number, Map<number, number>>();
  for (let t = 0; t < nt; t++) {
    const tri = [indices[3 * t]!, indices[3 * t + 1]!, indices[3 * t + 2]!];
    for (let i = 0; i < 3; i++) {
      const a = tri[i]!, b = tri[(i + 1) % 3]!, c = tri[(i + 2) % 3]!;
      let m = link.get(a);
      if (!m) link.set(a, (m = new Map()));
      m.set(b, c);
    }
  }
  let pinchedVertices = 0;
  for (const [, m] of link) {
    const start = m.keys().next().value!;
    let at = start, steps = 0;
    do {
      at = m.get(at)!;
      steps++;
    } while (at !== undefined && at !== start && steps <= m.size);
    if (at !== start || steps !== m.size) pinchedVertices++;
  }
  const edges = new Set<number>();
  for (const k of directed.keys()) {
    const u = Math.floor(k / nv), v = k - u * nv;
    edges.add(Math.min(u, v) * nv + Math.max(u, v));
  }
  // Pieces: vertices joined by triangles.
  const parent = Int32Array.from({ length: nv }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  for (let t = 0; t < nt; t++) {
    parent[find(indices[3 * t]!)] = find(indices[3 * t + 1]!);
    parent[find(indices[3 * t]!)] = find(indices[3 * t + 2]!);
  }
  const roots = new Set<number>();
  for (const v of link.keys()) roots.add(find(v));
  return { openEdges, pinchedVertices, unusedVertices: nv - link.size, volume, euler: link.size - edges.size + nt, pieces: roots.size };
}
