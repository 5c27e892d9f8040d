// Nothing lost: interrupted writes, killed writers, concurrent writers.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MaskArchive, MedMaskError, SegmentationMask, Space, encodeMask } from "../../src/node.js";
import { registerPlatform } from "../../src/platform.js";
import { nodeFileIO } from "../../src/node/file-io.js";
import { asyncCodeOf } from "../helpers/errors.js";
import { diskFullAfter } from "../helpers/disk-full.js";
import { sha256, tempDir } from "../helpers/files.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const space = new Space({ shape: [3, 4, 5] });
const organ = (label: number) => new SegmentationMask(new Uint8Array(60).fill(label, label * 3, label * 3 + 9), { [`o${label}`]: label }, space);

afterEach(() => registerPlatform({ fileIO: nodeFileIO }));

async function archiveWith(path: string, labels: number[]): Promise<void> {
  const archive = await MaskArchive.create(path, { space, overwrite: true });
  for (const l of labels) archive.add(`o${l}`, organ(l));
  await archive.close();
}

describe("single-mask saves survive interruption", () => {
  it("a save that fails at any byte offset leaves the previous file and no temporary file", async () => {
    const { saveMask, loadMask, encodeMask } = await import("../../src/node.js");
    const dir = tempDir();
    const path = join(dir, "m.msk");
    await saveMask(organ(1), path);
    const before = readFileSync(path);
    const total = encodeMask(organ(2)).length;
    for (let failAt = 0; failAt < total; failAt++) {
      const restore = await diskFullAfter(failAt);
      const error = await saveMask(organ(2), path, { overwrite: true }).catch((e: unknown) => e);
      restore();
      expect(error).toBeInstanceOf(MedMaskError);
      expect((error as MedMaskError).code).toBe("IO_ERROR");
      expect((error as MedMaskError).message).toMatch(/disk is full/);
      expect(readFileSync(path)).toEqual(before);
      expect(readdirSync(dir)).toEqual(["m.msk"]);
    }
    expect(sha256((await loadMask(path)).data)).toBe(sha256(organ(1).data));
  });
});

describe("WASM memory growth", () => {
  it("never changes arrays the caller already holds", async () => {
    const { setBackend, wasmMemoryBytes } = await import("../../src/node.js");
    setBackend("wasm");
    try {
      const seg = new SegmentationMask(Uint8Array.from({ length: 60 }, (_, i) => i % 4), undefined, space);
      const binary = seg.getBinaryMaskByLabels([1, 2]);
      const stats = seg.labelStats();
      const kept = binary.slice();
      const grownFrom = wasmMemoryBytes();
      // A call large enough to grow linear memory.
      const big = new SegmentationMask(new Uint16Array(3 * 1024 * 1024).fill(7, 1000, 2_000_000), undefined, new Space({ shape: [3, 1024, 1024] }));
      big.getBinaryMaskByLabels([7]);
      expect(wasmMemoryBytes()).toBeGreaterThan(grownFrom);
      expect(binary).toEqual(kept);
      expect(binary.buffer.byteLength).toBe(60); // its own buffer, not a view of WASM memory
      expect(seg.labelStats()).toEqual(stats);
    } finally {
      setBackend("auto");
    }
  });
});

describe("archives survive interrupted and concurrent writes", () => {
  it("a commit that fails at any byte offset leaves the previous archive and no temporary file", async () => {
    const dir = tempDir();
    const path = join(dir, "a.mska");
    await archiveWith(path, [1, 2]);
    const before = readFileSync(path);
    // How many bytes the append writes: measure once on a copy.
    let total = 0;
    registerPlatform({ fileIO: { ...nodeFileIO, writeAtomic: async (_p, chunks) => void (total = chunks.reduce((n, c) => n + c.length, 0)) } });
    const probe = await MaskArchive.open(path);
    probe.add("o3", organ(3));
    await probe.commit();
    await probe.close();
    registerPlatform({ fileIO: nodeFileIO });
    expect(total).toBeGreaterThan(100);
    const openFiles = () => (existsSync("/proc/self/fd") ? readdirSync("/proc/self/fd").length : 0);
    const filesBefore = openFiles();
    for (let failAt = 0; failAt < total; failAt++) {
      // The disk takes the first `failAt` bytes of the new data, then is full.
      const archive = await MaskArchive.open(path);
      archive.add("o3", organ(3));
      const restore = await diskFullAfter(failAt);
      try {
        expect(await asyncCodeOf(() => archive.commit())).toBe("IO_ERROR");
        // Closing commits again, fails again, and still releases the file.
        expect(await asyncCodeOf(() => archive.close())).toBe("IO_ERROR");
      } finally {
        restore();
      }
      expect(await asyncCodeOf(() => archive.load("o1"))).toBe("DISPOSED");
      expect(readFileSync(path)).toEqual(before);
      expect(readdirSync(dir)).toEqual(["a.mska"]);
    }
    // Every failed archive released its file (close() does even when its commit fails).
    expect(openFiles()).toBeLessThanOrEqual(filesBefore + 2);
    const after = await MaskArchive.open(path);
    expect(after.names()).toEqual(["o1", "o2"]);
    await after.close();
  });

  it("commits more entries than one system call takes, and completes through short writes", async () => {
    const dir = tempDir();
    const path = join(dir, "many.mska");
    const archive = await MaskArchive.create(path, { space });
    const names = Array.from({ length: 1100 }, (_, i) => `organ ${i}`);
    const organOf = (i: number) => organ(1 + (i % 5));
    for (const [i, name] of names.entries()) archive.add(name, organOf(i));
    await archive.close();
    // Appending, with every write cut short after 61 bytes.
    const more = await MaskArchive.open(path);
    const added = Array.from({ length: 40 }, (_, i) => `late ${i}`);
    for (const [i, name] of added.entries()) more.add(name, organOf(i));
    const restore = await diskFullAfter(Infinity, 61);
    try {
      await more.close();
    } finally {
      restore();
    }
    const reader = await MaskArchive.open(path);
    expect(reader.names()).toEqual([...names, ...added]);
    for (const i of [0, 1023, 1024, 1099]) expect(sha256((await reader.load(names[i]!)).data)).toBe(sha256(organOf(i).data));
    for (const i of [0, 39]) expect(sha256((await reader.load(added[i]!)).data)).toBe(sha256(organOf(i).data));
    await reader.close();
  });

  it("an archive whose size cannot be read fails to open with IO_ERROR and closes its file", async () => {
    const path = join(tempDir(), "case.mska");
    await archiveWith(path, [1]);
    const { fstat, close } = fs;
    const failed: number[] = [];
    const closed: number[] = [];
    fs.fstat = ((fd: number, ...rest: unknown[]) => {
      failed.push(fd);
      const done = rest.at(-1) as (error: Error) => void;
      done(Object.assign(new Error("EIO: i/o error, fstat"), { code: "EIO" }));
    }) as typeof fs.fstat;
    fs.close = ((fd: number, done: (error: NodeJS.ErrnoException | null) => void) => {
      closed.push(fd);
      close(fd, done);
    }) as typeof fs.close;
    try {
      expect(await asyncCodeOf(() => MaskArchive.open(path))).toBe("IO_ERROR");
    } finally {
      fs.fstat = fstat;
      fs.close = close;
    }
    // Closed, not left for the collector.
    expect(failed).toHaveLength(1);
    expect(closed).toEqual(failed);
  });

  it("an archive dropped without close() has its file closed when collected, without a warning or an error (Node 26 ends the process over a collected FileHandle)", () => {
    const path = join(tempDir(), "dropped.mska");
    const child = `
      import { MaskArchive, SegmentationMask, Space } from "./dist/node.js";
      const space = new Space({ shape: [3, 4, 5] });
      const archive = await MaskArchive.create(${JSON.stringify(path)}, { space });
      archive.add("o1", new SegmentationMask(new Uint8Array(60).fill(1, 3, 12), { o1: 1 }, space));
      await archive.close();
      for (let i = 0; i < 20; i++) {
        const opened = await MaskArchive.open(${JSON.stringify(path)});
        if ((await opened.load("o1")).data[3] !== 1) process.exit(3);
      }
      for (let i = 0; i < 10; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
      console.log("done");
    `;
    const run = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", child], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("done");
    expect(run.status).toBe(0);
  });

  it("a file system that accepts no bytes fails the commit with IO_ERROR instead of retrying forever", async () => {
    const path = join(tempDir(), "stuck.mska");
    const archive = await MaskArchive.create(path, { space });
    archive.add("o1", organ(1));
    const restore = await diskFullAfter(Infinity, 0);
    try {
      expect(await asyncCodeOf(() => archive.close())).toBe("IO_ERROR");
    } finally {
      restore();
    }
    expect(existsSync(path)).toBe(false);
  });

  it("a writer killed at random moments leaves a readable archive with every committed entry", async () => {
    const dir = tempDir();
    const path = join(dir, "k.mska");
    await archiveWith(path, [1]);
    const child = `
      import { MaskArchive, SegmentationMask, Space } from "medmask";
      const space = new Space({ shape: [3, 4, 5] });
      for (let i = 0; ; i++) {
        const a = await MaskArchive.open(${JSON.stringify(path)});
        const data = new Uint8Array(60).fill(1, i % 50, (i % 50) + 9);
        a.add("e" + a.size + "_" + process.pid, new SegmentationMask(data, { e: 1 }, space));
        await a.close();
      }`;
    let seen = 1;
    for (let round = 0; round < 4; round++) {
      const proc = spawn(process.execPath, ["--input-type=module", "-e", child], { cwd: ROOT, stdio: "ignore" });
      await new Promise((r) => setTimeout(r, 400 + round * 150));
      proc.kill("SIGKILL");
      await new Promise((r) => proc.once("exit", r));
      const archive = await MaskArchive.open(path);
      expect(archive.size).toBeGreaterThanOrEqual(seen); // nothing committed was lost
      seen = archive.size;
      for (const name of archive.names()) expect((await archive.load(name)).presentLabels().length).toBe(1);
      await archive.close();
    }
    expect(seen).toBeGreaterThan(1);
    // The next writer clears what the killed ones left (temporary files, their lock).
    const last = await MaskArchive.open(path);
    last.add("final", organ(2));
    await last.close();
    expect(readdirSync(dir)).toEqual(["k.mska"]);
  });

  it("concurrent writers never lose an acknowledged commit: 6 processes x 30 commits, with stale locks left in the way", async () => {
    const dir = tempDir();
    const path = join(dir, "c.mska");
    await archiveWith(path, [1]);
    // Each writer adds one entry per round and commits. LOCKED: commit again later; CONFLICT
    // (another writer committed since this one opened): open again and add again. Every
    // commit that returned is printed.
    const child = (id: number) => `
      import { MaskArchive, SegmentationMask, Space } from "medmask";
      const space = new Space({ shape: [3, 4, 5] });
      const done = [];
      for (let round = 0; round < 30; round++) {
        const name = "w${id}-" + round;
        const mask = new SegmentationMask(new Uint8Array(60).fill(1, round, round + 5), { e: 1 }, space);
        let a = await MaskArchive.open(${JSON.stringify(path)});
        a.add(name, mask);
        for (;;) {
          try {
            await a.commit();
            done.push(name);
            break;
          } catch (error) {
            if (error.code === "CONFLICT") {
              await a.close().catch(() => undefined); // refuses to commit a stale snapshot
              a = await MaskArchive.open(${JSON.stringify(path)});
              a.add(name, mask);
            } else if (error.code !== "LOCKED") throw error;
            await new Promise((r) => setTimeout(r, Math.random() * 5));
          }
        }
        await a.close();
      }
      process.stdout.write(JSON.stringify(done));`;
    writeFileSync(`${path}.lock`, "999999999"); // a writer that died holding the lock
    const outputs = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(
        (id) =>
          new Promise<string[]>((resolve, reject) => {
            const proc = spawn(process.execPath, ["--input-type=module", "-e", child(id)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
            let out = "";
            proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
            proc.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`writer ${id} exited with ${code}`))));
          }),
      ),
    );
    const acknowledged = outputs.flat();
    expect(acknowledged).toHaveLength(180);
    const archive = await MaskArchive.open(path);
    const names = new Set(archive.names());
    expect(acknowledged.filter((n) => !names.has(n))).toEqual([]);
    expect(archive.size).toBe(181);
    await archive.close();
    expect(readdirSync(dir)).toEqual(["c.mska"]);
  }, 120_000);

  it("a save keeps the file's mode, writes through a symlink (the link stays), replaces a hard-linked file under its own name only (the other names keep the old file whole), and takes names of 250 bytes", async () => {
    const { saveMask, loadMask } = await import("../../src/node.js");
    const { chmodSync, linkSync, lstatSync, readlinkSync, statSync, symlinkSync } = await import("node:fs");
    const dir = tempDir();
    const seg = (label: number) => new SegmentationMask(Uint8Array.of(0, label, label, 0), { x: label }, new Space({ shape: [1, 2, 2] }));
    const privatePath = join(dir, "private.msk");
    await saveMask(seg(1), privatePath);
    chmodSync(privatePath, 0o600);
    await saveMask(seg(2), privatePath, { overwrite: true });
    expect(statSync(privatePath).mode & 0o777).toBe(0o600);
    const real = join(dir, "real.msk"), link = join(dir, "link.msk");
    await saveMask(seg(1), real);
    symlinkSync("real.msk", link);
    await saveMask(seg(3), link, { overwrite: true });
    expect([lstatSync(link).isSymbolicLink(), readlinkSync(link)]).toEqual([true, "real.msk"]);
    expect((await loadMask(real)).mapping.toJSON()).toEqual({ x: 3 });
    const other = join(dir, "other-name.msk");
    linkSync(real, other);
    await saveMask(seg(4), real, { overwrite: true });
    expect((await loadMask(real)).mapping.toJSON()).toEqual({ x: 4 });
    // A rename, never a copy into the shared file: the link is broken, nothing torn.
    expect((await loadMask(other)).mapping.toJSON()).toEqual({ x: 3 });
    expect(statSync(other).ino).not.toBe(statSync(real).ino);
    const long = join(dir, `${"n".repeat(246)}.msk`); // 250 bytes: its temporary name must be cut to fit
    await saveMask(seg(5), long);
    expect((await loadMask(long)).mapping.toJSON()).toEqual({ x: 5 });
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("the next write to a folder sweeps the temporaries killed writers left there (ours by name, dead or a day old), and no one else's", async () => {
    const { saveMask } = await import("../../src/node.js");
    const { utimesSync } = await import("node:fs");
    const { hostname } = await import("node:os");
    const dir = tempDir();
    const host = hostname().replace(/[^A-Za-z0-9]/g, "").slice(0, 32);
    const left = {
      dead: `.case.msk.medmask-${host}-999999999-0123abcd.tmp`,
      older: `.case.msk.4194303.89abcdef.tmp`, // the naming before hosts were in it (a pid no process has)
      otherHostOld: `.case.msk.medmask-elsewhere-123-00ff00ff.tmp`,
    };
    const kept = {
      live: `.case.msk.medmask-${host}-${process.ppid}-0badf00d.tmp`, // a writer still running
      otherHost: `.case.msk.medmask-elsewhere-124-00ff00fe.tmp`, // can't tell: less than a day old
      user: `.notes.tmp`,
      dated: `.backup.20261202.deadbeef.tmp`, // looks like the old naming, but no pid is that large
    };
    for (const name of [...Object.values(left), ...Object.values(kept)]) writeFileSync(join(dir, name), "x");
    const dayAgo = (Date.now() - 25 * 3600 * 1000) / 1000;
    utimesSync(join(dir, left.otherHostOld), dayAgo, dayAgo);
    await saveMask(new SegmentationMask(Uint8Array.of(1), { x: 1 }, new Space({ shape: [1, 1, 1] })), join(dir, "fresh.msk"));
    expect(readdirSync(dir).sort()).toEqual([...Object.values(kept), "fresh.msk"].sort());
  });

  describe("a NIfTI and its names sidecar", () => {
    const space1 = new Space({ shape: [2, 3, 4], spacing: [2, 1, 1] });
    const liver = new SegmentationMask(Uint8Array.from({ length: 24 }, (_, i) => (i < 5 ? 1 : 0)), { liver: 1 }, space1);
    const tumour = new SegmentationMask(Uint8Array.from({ length: 24 }, (_, i) => (i > 20 ? 1 : 0)), { tumour: 1 }, space1);

    it("the image carries its names: an interrupted save (new image, older sidecar) reads with the image's names and counts as unfinished; a sidecar edited later wins", async () => {
      const { saveNifti, loadNifti, niftiSaveComplete, encodeNifti, readNifti, sidecarPath } = await import("../../src/node.js");
      const { utimesSync } = await import("node:fs");
      const dir = tempDir();
      const path = join(dir, "case.nii.gz");
      await saveNifti(liver, path);
      expect(readNifti(readFileSync(path)).labels).toEqual({ liver: 1 });
      expect(await niftiSaveComplete(path)).toBe(true);
      // As a save killed after the image's rename leaves it: the new image, the old sidecar.
      writeFileSync(path, encodeNifti(tumour));
      const past = (Date.now() - 60_000) / 1000;
      utimesSync(sidecarPath(path), past, past);
      const read = await loadNifti(path);
      expect([read.mapping.toJSON(), read.labelStats()[0]!.voxels]).toEqual([{ tumour: 1 }, 3]);
      expect(await niftiSaveComplete(path)).toBe(false);
      // A person renames the label in the sidecar afterwards: that is the newer word.
      writeFileSync(sidecarPath(path), '{"1": "lesion"}');
      expect((await loadNifti(path)).mapping.toJSON()).toEqual({ lesion: 1 });
    });

    it("a full disk during saveNifti changes nothing: neither the image nor the sidecar", async () => {
      const { saveNifti, loadNifti, sidecarPath, encodeNifti } = await import("../../src/node.js");
      const dir = tempDir();
      const path = join(dir, "case.nii");
      await saveNifti(liver, path);
      const before = [readFileSync(path), readFileSync(sidecarPath(path))];
      const image = encodeNifti(tumour, { gzip: false }).length;
      // Full within the image, or just after it: within the sidecar.
      for (const budget of [0, 100, image - 1, image + 5]) {
        const restore = await diskFullAfter(budget);
        try {
          expect(await asyncCodeOf(() => saveNifti(tumour, path, { overwrite: true }))).toBe("IO_ERROR");
        } finally {
          restore();
        }
        expect([readFileSync(path), readFileSync(sidecarPath(path))]).toEqual(before);
        expect(readdirSync(dir).sort()).toEqual(["case.json", "case.nii"]);
      }
      expect((await loadNifti(path)).mapping.toJSON()).toEqual({ liver: 1 });
    });

    it("batch --resume redoes a NIfTI case whose sidecar is missing or older than its image", async () => {
      const { saveMask, sidecarPath } = await import("../../src/node.js");
      const { rmSync, utimesSync } = await import("node:fs");
      const dir = tempDir();
      const cases = join(dir, "in"), out = join(dir, "out");
      const { mkdirSync } = await import("node:fs");
      mkdirSync(cases);
      for (const name of ["a", "b", "c"]) await saveMask(liver, join(cases, `${name}.msk`));
      const batch = (...extra: string[]) => spawnSync(process.execPath, [join(ROOT, "cli/bin/medmask.js"), "batch", "convert", cases, out, "--to", "nii.gz", ...extra], { encoding: "utf8" });
      expect(batch().status).toBe(0);
      rmSync(sidecarPath(join(out, "a.nii.gz")));
      const past = (Date.now() - 60_000) / 1000;
      utimesSync(sidecarPath(join(out, "b.nii.gz")), past, past);
      const resumed = batch("--resume");
      expect(resumed.status).toBe(0);
      expect(resumed.stderr).toMatch(/3 cases: 2 converted, 1 skipped, 0 failed/);
      expect(existsSync(sidecarPath(join(out, "a.nii.gz")))).toBe(true);
    });

    it("convert --force killed at random moments never leaves voxels read with the other file's names", async () => {
      const { saveMask, loadNifti } = await import("../../src/node.js");
      const dir = tempDir();
      await saveMask(liver, join(dir, "liver.msk"));
      await saveMask(tumour, join(dir, "tumour.msk"));
      const out = join(dir, "out.nii.gz");
      const expected: Record<string, number> = { liver: 5, tumour: 3 };
      const cli = [join(ROOT, "cli/bin/medmask.js"), "convert"];
      // How long one whole convert takes on this machine now (its load varies): the kills
      // fall from a quarter of that to past its end, before, during and after the writes.
      const started = Date.now();
      spawnSync(process.execPath, [...cli, join(dir, "liver.msk"), join(dir, "timed.nii.gz")], { stdio: "ignore" });
      const whole = Date.now() - started;
      // The output exists from the start (a whole convert), so every round checks it: a kill
      // leaves the previous content or the new one, whole, whenever it falls (under a loaded
      // machine all kills may fall before a write, and a round without an output checked nothing).
      spawnSync(process.execPath, [...cli, join(dir, "liver.msk"), out], { stdio: "ignore" });
      let checked = 0;
      for (let round = 0; round < 30; round++) {
        const input = join(dir, round % 2 ? "tumour.msk" : "liver.msk");
        const proc = spawn(process.execPath, [...cli, input, out, "--force"], { stdio: "ignore" });
        const exited = new Promise((r) => proc.once("exit", r));
        await new Promise((r) => setTimeout(r, whole * (0.25 + ((round * 37) % 100) / 100)));
        proc.kill("SIGKILL");
        await exited;
        if (!existsSync(out)) continue;
        const seg = await loadNifti(out);
        const [name] = seg.mapping.names();
        expect(seg.labelStats()[0]!.voxels, `round ${round}: ${name}`).toBe(expected[name!]);
        checked++;
      }
      expect(checked).toBe(30);
    }, 120_000);
  });

  it("saveMask({ overwrite: true }) over a file with a second hard link, killed with SIGKILL at random moments: each name holds the old mask or the new, never a torn file (Reliability III item 11)", async () => {
    const { linkSync } = await import("node:fs");
    const { loadMask } = await import("../../src/node.js");
    const dir = tempDir();
    const path = join(dir, "shared.msk"), other = join(dir, "other.msk");
    const space = new Space({ shape: [64, 256, 256] });
    // Noisy voxels, so the file is large (megabytes) and a write takes a while.
    const mask = (seed: number) => {
      const data = new Uint8Array(space.voxelCount);
      for (let i = 0, x = seed; i < data.length; i++) data[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 29;
      return new SegmentationMask(data, { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }, space);
    };
    writeFileSync(path, encodeMask(mask(1)));
    linkSync(path, other);
    const script = `import { SegmentationMask, Space, saveMask } from "./dist/node.js";
      const space = new Space({ shape: [64, 256, 256] });
      const data = new Uint8Array(space.voxelCount);
      for (let i = 0, x = 2; i < data.length; i++) data[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 29;
      const seg = new SegmentationMask(data, { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }, space);
      for (;;) await saveMask(seg, ${JSON.stringify(path)}, { overwrite: true });`;
    const voxels = (seg: SegmentationMask) => seg.labelStats().map((s) => s.voxels).join(",");
    const old = voxels(mask(1)), fresh = voxels(mask(2));
    for (let round = 0; round < 6; round++) {
      const proc = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, stdio: "ignore" });
      const exited = new Promise((r) => proc.once("exit", r));
      await new Promise((r) => setTimeout(r, 400 + round * 170));
      proc.kill("SIGKILL");
      await exited;
      for (const name of [path, other]) expect([old, fresh], `round ${round}: ${name}`).toContain(voxels(await loadMask(name)));
    }
    expect(voxels(await loadMask(other))).toBe(old);
  }, 120_000);

  it("refuses a second writer: a live lock says LOCKED, a stale one is taken over", async () => {
    const dir = tempDir();
    const path = join(dir, "l.mska");
    await archiveWith(path, [1]);
    writeFileSync(`${path}.lock`, String(process.ppid)); // a live process (our parent) holds it
    const archive = await MaskArchive.open(path);
    archive.add("o2", organ(2));
    expect(await asyncCodeOf(() => archive.commit())).toBe("LOCKED");
    writeFileSync(`${path}.lock`, "999999999"); // no such process: a stale lock
    await archive.commit();
    await archive.close();
    expect((await MaskArchive.open(path)).names()).toEqual(["o1", "o2"]);
    expect(readdirSync(dir)).toEqual(["l.mska"]);
  });

  it("refuses a commit on an archive another writer changed meanwhile, keeping that writer's entries", async () => {
    const dir = tempDir();
    const path = join(dir, "c.mska");
    await archiveWith(path, [1]);
    const first = await MaskArchive.open(path);
    const second = await MaskArchive.open(path);
    second.add("o2", organ(2));
    await second.close();
    first.add("o3", organ(3));
    expect(await asyncCodeOf(() => first.commit())).toBe("CONFLICT");
    const now = await MaskArchive.open(path);
    expect(now.names()).toEqual(["o1", "o2"]);
    expect(sha256((await now.load("o2")).data)).toBe(sha256(organ(2).data));
    now.add("o3", organ(3));
    await now.close();
    expect((await MaskArchive.open(path)).names()).toEqual(["o1", "o2", "o3"]);
  });
});
