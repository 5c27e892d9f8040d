// Vertex normals of a closed mesh: the area-weighted mean of its triangles' normals.

/**
 * Per vertex, the unit normal pointing out of a mesh whose triangles are counter-clockwise
 * seen from outside: the sum of the cross products of its triangles (each weighted by twice
 * its area), normalised.
 * @example const normals = vertexNormals(mesh.positions, mesh.indices);
 */
export function vertexNormals(positions: Float32Array, indices: Uint32Array): Float32Array {
  const sum = new Float64Array(positions.length);
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t]!, b = 3 * indices[t + 1]!, c = 3 * indices[t + 2]!;
    const ux = positions[b]! - positions[a]!, uy = positions[b + 1]! - positions[a + 1]!, uz = positions[b + 2]! - positions[a + 2]!;
    const vx = positions[c]! - positions[a]!, vy = positions[c + 1]! - positions[a + 1]!, vz = positions[c + 2]! - positions[a + 2]!;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    for (const p of [a, b, c]) {
      sum[p] = sum[p]! + nx;
      sum[p + 1] = sum[p + 1]! + ny;
      sum[p + 2] = sum[p + 2]! + nz;
    }
  }
  const out = new Float32Array(positions.length);
  for (let p = 0; p < sum.length; p += 3) {
    const length = Math.hypot(sum[p]!, sum[p + 1]!, sum[p + 2]!) || 1;
    out[p] = sum[p]! / length;
    out[p + 1] = sum[p + 1]! / length;
    out[p + 2] = sum[p + 2]! / length;
  }
  return out;
}
