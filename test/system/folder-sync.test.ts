// The folder fsync after an atomic save's rename: a folder that cannot be opened (Windows,
// write-only permissions) must not turn a completed save into a reported failure. The
// folder open is made to fail here, since permissions do not stop a root test run.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

const failFolderOpens = { on: false };
vi.mock("node:fs/promises", async (original) => {
  const fs = await original<typeof import("node:fs/promises")>();
  return {
    ...fs,
    open: async (path: string, ...rest: unknown[]) => {
      if (failFolderOpens.on && statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
        throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: "EACCES" });
      }
      return (fs.open as (...a: unknown[]) => ReturnType<typeof fs.open>)(path, ...rest);
    },
  };
});

describe("atomic saves and the folder sync", () => {
  it("a save completes and reports success when its folder cannot be opened for the sync", async () => {
    const { SegmentationMask, Space, saveMask, loadMask } = await import("../../src/node.js");
    const { tempDir, sha256 } = await import("../helpers/files.js");
    const path = join(tempDir(), "m.msk");
    const seg = new SegmentationMask(new Uint8Array(8).fill(1, 2, 5), { a: 1 }, new Space({ shape: [2, 2, 2] }));
    failFolderOpens.on = true;
    try {
      await saveMask(seg, path);
    } finally {
      failFolderOpens.on = false;
    }
    expect(readFileSync(path).length).toBeGreaterThan(0);
    expect(sha256((await loadMask(path)).data)).toBe(sha256(seg.data));
  });
});
