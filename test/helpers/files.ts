import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LabelArray } from "../../src/index.js";

export const FIXTURES = new URL("../fixtures/python-medmask/", import.meta.url).pathname;

/** SHA-256 of the raw C-order voxel bytes, as expected.json gives it. */
export function sha256(data: LabelArray): string {
  return createHash("sha256").update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest("hex");
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "medmask-test-"));
}

/** Counts of every value, as {"label": count} with string keys like expected.json. */
export function counts(data: LabelArray): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of data) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export { asyncCodeOf, codeOf } from "./errors.js";
