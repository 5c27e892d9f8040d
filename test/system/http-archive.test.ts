// MaskArchive.fromUrl against real HTTP servers: the index by range requests, one entry by
// its own bytes, and every failure a MedMaskError, never a mask made of two versions.
import { spawn } from "node:child_process";
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MaskArchive, SegmentationMask, Space, initZstd } from "../../src/node.js";
import { CLI } from "../helpers/cli.js";
import { asyncCodeOf, sha256, tempDir } from "../helpers/files.js";
import { listen, staticServer, wholeFileServer, type TestServer } from "../helpers/http-server.js";

const space = new Space({ shape: [40, 64, 64], spacing: [2, 0.8, 0.8] });
/** Entry i: a block of label 1 and some noise, so each compresses to a different size. */
function organ(i: number): SegmentationMask {
  const data = new Uint8Array(space.voxelCount);
  for (let v = 0; v < data.length; v++) if ((v * 2654435761 + i * 97) % 1009 < 100 + i) data[v] = 1 + (v % 3 === 0 && i % 2 ? 1 : 0);
  return new SegmentationMask(data, i % 2 ? { [`o${i}`]: 1, [`o${i}_core`]: 2 } : { [`o${i}`]: 1 }, space);
}

const dir = tempDir();
let server: TestServer;
const N = 60;

beforeAll(async () => {
  await initZstd();
  for (const format of ["native", "python"] as const) {
    const archive = MaskArchive.inMemory(space, { format });
    for (let i = 0; i < N; i++) archive.add(`organ${String(i).padStart(2, "0")}`, organ(i));
    writeFileSync(join(dir, `${format}.mska`), archive.toBytes());
  }
  server = await staticServer(dir);
});
afterAll(() => server.close());

/** The CLI, asynchronously: the servers run in this process. */
const run = (...args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

describe("MaskArchive.fromUrl", () => {
  it.each(["native", "python"])("%s archive: names and statistics from a few percent of the file, one entry in its own bytes, every entry exact", async (format) => {
    const file = `${format}.mska`;
    const local = await MaskArchive.open(join(dir, file));
    const t = server.traffic;
    const before = { requests: t.requests, bytes: t.bytes };
    const remote = await MaskArchive.fromUrl(server.url(file));
    const opened = { requests: t.requests - before.requests, bytes: t.bytes - before.bytes };
    expect(remote.names()).toEqual(local.names());
    const json = (a: MaskArchive) => Object.fromEntries(Object.entries(a.mappings()).map(([k, m]) => [k, m.toJSON()]));
    expect(json(remote)).toEqual(json(local));
    for (const name of local.names()) expect(remote.stats(name)).toEqual(local.stats(name));
    const fileBytes = (await import("node:fs")).statSync(join(dir, file)).size;
    // The first HEAD_BYTES (the size), then the footer and the index (native) or the index (Python).
    expect(opened.requests).toBeLessThanOrEqual(3);
    expect(opened.bytes).toBeLessThan(0.1 * fileBytes);

    const one = { requests: t.requests, bytes: t.bytes };
    const mask = await remote.load("organ33");
    expect(sha256(mask.data)).toBe(sha256(organ(33).data));
    expect(mask.mapping.toJSON()).toEqual(organ(33).mapping.toJSON());
    const oneFetched = t.bytes - one.bytes;
    expect(t.requests - one.requests).toBeLessThanOrEqual(1);
    expect(oneFetched).toBeLessThan((3 * fileBytes) / N);

    // entries(): neighbours come in one request, not one per entry.
    const loop = { requests: t.requests };
    let i = 0;
    for await (const [name, m] of remote.entries()) {
      expect(name).toBe(`organ${String(i).padStart(2, "0")}`);
      expect(sha256(m.data)).toBe(sha256(organ(i).data));
      i++;
    }
    expect(i).toBe(N);
    expect(t.requests - loop.requests).toBeLessThan(5);
    await local.close();
  });

  it("a missing file is FILE_NOT_FOUND; a server without ranges is RANGE_UNSUPPORTED unless a full download is allowed", async () => {
    expect(await asyncCodeOf(() => MaskArchive.fromUrl(server.url("nothing.mska")))).toBe("FILE_NOT_FOUND");
    const plain = await wholeFileServer(dir);
    try {
      expect(await asyncCodeOf(() => MaskArchive.fromUrl(plain.url("native.mska")))).toBe("RANGE_UNSUPPORTED");
      const whole = await MaskArchive.fromUrl(plain.url("native.mska"), { allowFullDownload: true });
      expect(sha256((await whole.load("organ05")).data)).toBe(sha256(organ(5).data));
      expect(await asyncCodeOf(() => MaskArchive.fromUrl(plain.url("native.mska"), { allowFullDownload: true, maxBytes: 1000 }))).toBe("TOO_LARGE");
    } finally {
      await plain.close();
    }
    expect(await asyncCodeOf(() => MaskArchive.fromUrl("http://127.0.0.1:9/none.mska"))).toBe("IO_ERROR");
  });

  it("a response cut short (the connection closes before Content-Length bytes) is TRUNCATED", async () => {
    const { createServer } = await import("node:http");
    const bytes = (await import("node:fs")).readFileSync(join(dir, "native.mska"));
    let requests = 0;
    const cut = createServer((req, res) => {
      const [from, to] = /bytes=(\d+)-(\d+)/.exec(String(req.headers.range))!.slice(1).map(Number) as [number, number];
      const end = Math.min(to, bytes.length - 1);
      res.writeHead(206, { "Content-Range": `bytes ${from}-${end}/${bytes.length}`, "Content-Length": end - from + 1, ETag: '"v1"' });
      // The first request (the size) whole; later ones cut after 10 bytes.
      if (requests++ === 0) res.end(bytes.subarray(from, end + 1));
      else {
        res.write(bytes.subarray(from, from + 10));
        setTimeout(() => res.destroy(), 50);
      }
    });
    await new Promise<void>((r) => cut.listen(0, "127.0.0.1", r));
    try {
      const { port } = cut.address() as { port: number };
      expect(await asyncCodeOf(() => MaskArchive.fromUrl(`http://127.0.0.1:${port}/native.mska`))).toBe("TRUNCATED");
    } finally {
      cut.closeAllConnections();
      cut.close();
    }
  });

  it("a file replaced on the server after opening is CONFLICT on the next read, never a mask from two versions", async () => {
    const other = MaskArchive.inMemory(space);
    for (let i = 0; i < N; i++) other.add(`organ${String(i).padStart(2, "0")}`, organ(N - 1 - i));
    writeFileSync(join(dir, "changing.mska"), MaskArchive.inMemory(space).toBytes());
    const first = MaskArchive.inMemory(space);
    for (let i = 0; i < N; i++) first.add(`organ${String(i).padStart(2, "0")}`, organ(i));
    writeFileSync(join(dir, "changing.mska"), first.toBytes());
    const remote = await MaskArchive.fromUrl(server.url("changing.mska"));
    expect(sha256((await remote.load("organ01")).data)).toBe(sha256(organ(1).data));
    // Replaced (as an upload replaces an object), a moment later so its mtime differs.
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(join(dir, "changing.tmp"), other.toBytes());
    renameSync(join(dir, "changing.tmp"), join(dir, "changing.mska"));
    expect(await asyncCodeOf(() => remote.load("organ30"))).toBe("CONFLICT");
  });

  it("headers go with every request (a token), and a custom fetch is used", async () => {
    const seen: string[] = [];
    const remote = await MaskArchive.fromUrl(server.url("native.mska"), {
      headers: { Authorization: "Bearer t0ken" },
      fetch: async (input, init) => {
        seen.push(new Headers(init?.headers).get("authorization") ?? "none");
        return fetch(input, init);
      },
    });
    await remote.load("organ59");
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen)).toEqual(new Set(["Bearer t0ken"]));
  });

  it("medmask info https://... lists the entries and statistics from the index alone", async () => {
    const before = server.traffic.bytes;
    const r = await run("info", server.url("native.mska"), "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { entries: { name: string; labels: { voxels: number }[] }[] };
    expect(report.entries.map((e) => e.name)).toHaveLength(N);
    expect(report.entries[7]!.labels[0]!.voxels).toBe(organ(7).labelStats()[0]!.voxels);
    expect(server.traffic.bytes - before).toBeLessThan(statSync(join(dir, "native.mska")).size / 10);
    const missing = await run("info", server.url("gone.mska"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
  });
});

describe("a server that stalls, drips or floods (Reliability III item 4)", () => {
  const nativeFile = () => new Uint8Array(readFileSync(join(dir, "native.mska")));

  it("a server that never answers, or stops sending mid-body, fails with IO_ERROR after stallTimeoutMs", async () => {
    const silent = await listen(() => undefined);
    const stops = await listen((req, res) => {
      res.writeHead(206, { "Content-Range": "bytes 0-255/100000", "Content-Length": "256" });
      res.write(new Uint8Array(10)); // and then nothing
    });
    try {
      for (const s of [silent, stops]) {
        let message = "";
        const code = await asyncCodeOf(() => MaskArchive.fromUrl(s.url("a.mska"), { stallTimeoutMs: 300 }).catch((e: Error) => ((message = e.message), Promise.reject(e))));
        expect(code).toBe("IO_ERROR");
        expect(message).toMatch(/sent nothing for 0.3 s/);
      }
    } finally {
      await Promise.all([silent.close(), stops.close()]);
    }
  });

  it("{ signal }: an abort mid-read, a signal aborted before, and a deadline (AbortSignal.timeout) over a dripping server are ABORTED", async () => {
    const bytes = nativeFile();
    // One byte every 50 ms: never stalled, never done.
    const drip = await listen((req, res) => {
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(String(req.headers.range))!;
      const part = bytes.subarray(Number(a), Number(b) + 1);
      res.writeHead(206, { "Content-Range": `bytes ${a}-${Number(a) + part.length - 1}/${bytes.length}`, "Content-Length": String(part.length) });
      let i = 0;
      const timer = setInterval(() => (i < part.length ? res.write(part.subarray(i, ++i)) : (clearInterval(timer), res.end())), 50);
      res.on("close", () => clearInterval(timer));
    });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("user left")), 200);
      expect(await asyncCodeOf(() => MaskArchive.fromUrl(drip.url("a.mska"), { signal: controller.signal }))).toBe("ABORTED");
      expect(await asyncCodeOf(() => MaskArchive.fromUrl(drip.url("a.mska"), { signal: AbortSignal.abort() }))).toBe("ABORTED");
      expect(await asyncCodeOf(() => MaskArchive.fromUrl(drip.url("a.mska"), { signal: AbortSignal.timeout(300) }))).toBe("ABORTED");
      const cli = await run("info", drip.url("a.mska"), "--timeout", "1");
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/the read was aborted/);
    } finally {
      await drip.close();
    }
    // The signal covers the archive's later loads too.
    const controller = new AbortController();
    const remote = await MaskArchive.fromUrl(server.url("native.mska"), { signal: controller.signal });
    controller.abort();
    expect(await asyncCodeOf(() => remote.load("organ01"))).toBe("ABORTED");
  });

  it("a body longer than the range asked (400 MB, chunked) is cut at the range's size and refused; a whole download past maxBytes is TOO_LARGE, neither buffered", async () => {
    const flood = (status: number) =>
      listen((req, res) => {
        res.writeHead(status, status === 206 ? { "Content-Range": "bytes 0-255/1000" } : {});
        const chunk = new Uint8Array(1 << 20);
        let sent = 0;
        const pump = () => {
          while (sent < 400) {
            sent++;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        res.on("close", () => (sent = 400));
        pump();
      });
    const ranged = await flood(206);
    const whole = await flood(200);
    try {
      let message = "";
      expect(await asyncCodeOf(() => MaskArchive.fromUrl(ranged.url("a.mska")).catch((e: Error) => ((message = e.message), Promise.reject(e))))).toBe("IO_ERROR");
      expect(message).toMatch(/sent more than the 256 bytes asked for/);
      expect(await asyncCodeOf(() => MaskArchive.fromUrl(whole.url("a.mska"), { allowFullDownload: true, maxBytes: 8 << 20 }))).toBe("TOO_LARGE");
      // What went out before the reader stopped is a few socket buffers, not the 400 MB.
      expect(ranged.traffic.bytes).toBeLessThan(64 << 20);
      expect(whole.traffic.bytes).toBeLessThan(64 << 20);
    } finally {
      await Promise.all([ranged.close(), whole.close()]);
    }
  });
});
