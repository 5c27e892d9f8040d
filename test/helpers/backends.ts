import { afterAll, beforeAll } from "vitest";
import { setBackend, type BackendName } from "../../src/index.js";

export const BACKENDS: readonly BackendName[] = ["js", "wasm"];

/** Runs the enclosing describe block with `name` forced, and restores auto selection. */
export function useBackend(name: BackendName): void {
  beforeAll(() => setBackend(name));
  afterAll(() => setBackend("auto"));
}

export const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};
