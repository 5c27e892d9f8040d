// Hostile inputs that are not damaged files: special files where a file is expected, bombs,
// tiny files that claim huge memory. Each is refused with a clear code, in bounded time and
// memory, before the memory a header claims is allocated.
import { spawnSync, execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MaskArchive, loadMask, loadNifti, readNiftiFolder } from "../src/node.js";
import { asyncCodeOf, tempDir } from "./helpers/files.js";

const ROOT = new URL("../", import.meta.url).pathname;

function medmask(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "dist/cli/main.js"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("special files where a file is expected", () => {
  const dir = tempDir();
  const fifo = join(dir, "case.msk");
  execFileSync("mkfifo", [fifo]);
  const zero = join(dir, "zero.msk");
  symlinkSync("/dev/zero", zero);
  const zeroNii = join(dir, "zero.nii.gz");
  symlinkSync("/dev/zero", zeroNii);
  const folder = join(dir, "folder.msk");
  mkdirSync(folder);

  it("every reader refuses a FIFO, a device behind a symlink and a folder with NOT_A_FILE, without reading", async () => {
    for (const path of [fifo, zero, folder]) {
      expect(await asyncCodeOf(() => loadMask(path)), path).toBe("NOT_A_FILE");
      expect(await asyncCodeOf(() => MaskArchive.open(path)), path).toBe("NOT_A_FILE");
    }
    expect(await asyncCodeOf(() => loadNifti(zeroNii))).toBe("NOT_A_FILE");
    const niftiFolder = join(dir, "organs");
    mkdirSync(niftiFolder);
    execFileSync("mkfifo", [join(niftiFolder, "liver.nii.gz")]);
    expect(await asyncCodeOf(() => readNiftiFolder(niftiFolder))).toBe("NOT_A_FILE");
  });

  it("the CLI says so in one line: info on /dev/zero, batch over a FIFO named case.msk (the other cases done)", () => {
    const info = medmask("info", zero);
    expect(info.code).toBe(1);
    expect(info.stderr).toMatch(/is a device, not a file/);
    const cases = join(dir, "cases");
    mkdirSync(cases);
    execFileSync("mkfifo", [join(cases, "a.msk")]);
    writeFileSync(join(cases, "b.msk"), new Uint8Array(0));
    const batch = medmask("batch", "convert", cases, join(dir, "out"));
    expect(batch.code).toBe(3); // some cases failed; the run finished
    expect(batch.stderr).toMatch(/a: FAILED: .*pipe \(FIFO\)/);
  });
});
