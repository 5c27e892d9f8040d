// The real 117-organ case (data/totalsegmentator-s0000) as one flattened mask, read once per
// test file: what the oracle suites hold medmask to scipy on.
import { join } from "node:path";
import { beforeAll, describe } from "vitest";
import { loadNiftiFolder, type SegmentationMask } from "../../src/node.js";
import { BACKENDS, useBackend } from "./backends.js";
import { ROOT } from "./cli.js";

let real: Promise<SegmentationMask<string>> | null = null;

/** The 117 organs in one volume (later organs over earlier ones where they overlap). */
export const realFlatCase = (): Promise<SegmentationMask<string>> => (real ??= loadNiftiFolder(join(ROOT, "data/totalsegmentator-s0000")).then((r) => r.mask.flatten().mask));

/** A `describe` per backend ("on js", "on wasm"), the real case read before its tests: `body` reads it through `real()`. */
export function onRealCase(body: (real: () => SegmentationMask<string>) => void): void {
  describe.each(BACKENDS)("on %s", (backend) => {
    useBackend(backend);
    let real: SegmentationMask<string>;
    beforeAll(async () => {
      real = await realFlatCase();
    }, 120_000);
    body(() => real);
  });
}
