// The page: file input and drop, the label table, the slice canvas; all heavy work is in
// worker.ts, so the page never freezes.
import type { CompareRow, LabelStat } from "../src/index.js";
import { labelColor } from "./palette.js";
import type { RemoteEntry, Reply, Request } from "./protocol.js";

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const fileInput = $<HTMLInputElement>("#file");
const filter = $<HTMLInputElement>("#filter");
const saveButton = $<HTMLButtonElement>("#save");
const meshButton = $<HTMLButtonElement>("#mesh");
const smoothingInput = $<HTMLInputElement>("#smoothing");
const status = $<HTMLParagraphElement>("#status");
const timings = $<HTMLParagraphElement>("#timings");
const canvas = $<HTMLCanvasElement>("#slice");
const slider = $<HTMLInputElement>("#slider");
const sliceNumber = $<HTMLOutputElement>("#sliceNumber");
const tbody = $<HTMLTableSectionElement>("#labels tbody");
const remote = $<HTMLDivElement>("#remote");
const remoteTitle = $<HTMLParagraphElement>("#remoteTitle");
const entriesBody = $<HTMLTableSectionElement>("#entries tbody");
const compareInput = $<HTMLInputElement>("#compare");
const comparison = $<HTMLDivElement>("#comparison");
const comparisonTitle = $<HTMLParagraphElement>("#comparisonTitle");
const comparedBody = $<HTMLTableSectionElement>("#compared tbody");

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (request: Request) => worker.postMessage(request);

let stats: LabelStat[] = [];
let sortKey: keyof LabelStat | "ml" = "label";
let sortDescending = false;
const selected = new Set<number>();
let loadTimings: Array<[string, number]> = [];
let backend: "wasm" | "js" = "wasm";
let resident = false;
let loadStarted = 0;
/** For tests and curious users: the last slice's render time in the worker and on the page. */
const perf = { lastSliceMs: 0, lastDrawMs: 0, lastLoadMs: 0 };
(window as unknown as { medmaskPerf: typeof perf }).medmaskPerf = perf;

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle("error", error);
}

function showTimings(extra: Array<[string, number]> = []): void {
  const steps = [...loadTimings, ...extra].map(([step, ms]) => `${step} ${ms.toFixed(1)} ms`).join(" · ");
  timings.textContent = `${steps} (${backend === "wasm" ? "WASM SIMD" : "pure JS"} kernels${resident ? ", mask resident in WASM memory" : ""})`;
}

function load(files: File[]): void {
  if (files.length === 0) return;
  loadStarted = performance.now();
  setStatus(`loading ${files.length === 1 ? files[0]!.name : `${files.length} files`}…`);
  send({ type: "load", files });
}

/** The entries of an archive opened by URL; a click fetches and shows that one. */
function renderEntries(url: string, entries: readonly RemoteEntry[], ms: number): void {
  remote.hidden = false;
  remoteTitle.textContent = `${entries.length} entries in ${url} (index read in ${ms.toFixed(0)} ms)`;
  entriesBody.replaceChildren(
    ...entries.map((e) => {
      const tr = document.createElement("tr");
      tr.dataset.entry = e.name;
      tr.innerHTML = `<td></td><td class="num">${e.voxels === null ? "–" : e.voxels.toLocaleString("en")}</td><td class="num">${e.volumeMm3 === null ? "–" : (e.volumeMm3 / 1000).toFixed(2)}</td>`;
      tr.children[0]!.textContent = e.name;
      tr.addEventListener("click", () => {
        for (const row of entriesBody.children) row.classList.toggle("selected", row === tr);
        loadStarted = performance.now();
        setStatus(`loading ${e.name}…`);
        send({ type: "loadEntry", name: e.name });
      });
      return tr;
    }),
  );
}

/** A distance for the table: mm with two decimals, "inf" where one side has no voxel. */
const mm = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : Number.isNaN(v) ? "–" : "inf");

/** The comparison of the loaded mask (this) with another file, one row per organ present in either. */
function renderComparison(name: string, rows: readonly CompareRow[], absent: number, voxelMl: number, ms: number): void {
  comparison.hidden = false;
  comparisonTitle.textContent = `this mask against ${name}: ${rows.length} organs in either (${absent} in neither left out), paired by name, in ${ms.toFixed(0)} ms`;
  comparedBody.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement("tr");
      tr.dataset.name = r.name;
      const only = r.empty === "b" ? "only here" : r.empty === "a" ? "only there" : "";
      tr.innerHTML = [r.dice.toFixed(4), mm(r.hd95), mm(r.assd), r.nsd.toFixed(4), (r.voxelsA * voxelMl).toFixed(2), (r.voxelsB * voxelMl).toFixed(2), only].map((v, i) => `<td class="${i < 6 ? "num" : ""}">${v}</td>`).join("");
      tr.prepend(Object.assign(document.createElement("td"), { textContent: r.name }));
      return tr;
    }),
  );
}

function renderTable(): void {
  const value = (s: LabelStat) => (sortKey === "ml" ? s.volumeMm3 : sortKey === "bbox" ? (s.bbox ? s.bbox.min[0] : -1) : s[sortKey as keyof LabelStat]);
  const rows = filtered()
    .slice()
    .sort((a, b) => {
      const x = value(a) as number | string, y = value(b) as number | string;
      const order = typeof x === "string" ? x.localeCompare(String(y)) : (x as number) - (y as number);
      return sortDescending ? -order : order;
    });
  tbody.replaceChildren(
    ...rows.map((s) => {
      const tr = document.createElement("tr");
      tr.dataset.label = String(s.label);
      tr.dataset.voxels = String(s.voxels);
      tr.className = `${s.voxels === 0 ? "empty" : ""} ${selected.has(s.label) ? "selected" : ""}`;
      const [r, g, b] = labelColor(s.label);
      const bbox = s.bbox ? `${s.bbox.min.join(",")} – ${s.bbox.max.join(",")}` : "–";
      tr.innerHTML = `<td><span class="swatch" style="background:rgb(${r},${g},${b})"></span></td><td></td><td class="num">${s.label}</td><td class="num">${s.voxels.toLocaleString("en")}</td><td class="num">${(s.volumeMm3 / 1000).toFixed(2)}</td><td>${bbox}</td>`;
      tr.children[1]!.textContent = s.name;
      tr.addEventListener("click", () => {
        if (selected.has(s.label)) selected.delete(s.label);
        else selected.add(s.label);
        renderTable();
        requestSlice();
      });
      return tr;
    }),
  );
}

/** Labels whose names match the filter (comma-separated parts, case-insensitive). */
function filtered(): LabelStat[] {
  const parts = filter.value.split(",").map((p) => p.trim().toLowerCase()).filter(Boolean);
  return parts.length === 0 ? stats : stats.filter((s) => parts.some((p) => s.name.toLowerCase().includes(p)));
}

/** Clicked rows win; otherwise the filter's matches; otherwise every label at full colour. */
function highlight(): number[] {
  if (selected.size > 0) return [...selected];
  return filter.value.trim() ? filtered().map((s) => s.label) : [];
}

function requestSlice(): void {
  send({ type: "slice", z: Number(slider.value), highlight: highlight() });
}

worker.onmessage = (event: MessageEvent<Reply>) => {
  const reply = event.data;
  if (reply.type === "loaded") {
    stats = reply.stats;
    selected.clear();
    perf.lastLoadMs = performance.now() - loadStarted;
    loadTimings = [...reply.timings, ["file to table", perf.lastLoadMs]];
    backend = reply.backend;
    resident = reply.resident;
    const { view } = reply;
    canvas.width = view.width;
    canvas.height = view.height;
    // Pixels as wide and tall as the voxels they show, in millimetres.
    canvas.style.aspectRatio = `${view.width * view.pixelMm[0]} / ${view.height * view.pixelMm[1]}`;
    for (const edge of ["top", "bottom", "left", "right"] as const) $<HTMLSpanElement>(`#orient-${edge}`).textContent = view.letters[edge];
    slider.max = String(view.depth - 1);
    // Start on the slice with the most labelled voxels' centre: something to see at once.
    const biggest = [...stats].sort((a, b) => b.voxels - a.voxels)[0];
    const a = view.sliceAxis;
    slider.value = String(biggest?.bbox ? Math.round((biggest.bbox.min[a] + biggest.bbox.max[a]) / 2) : Math.floor(view.depth / 2));
    slider.disabled = false;
    saveButton.disabled = false;
    meshButton.disabled = false;
    compareInput.disabled = false;
    comparison.hidden = true;
    renderTable();
    showTimings();
    requestSlice();
    setStatus("ready");
    document.title = `medmask – ${reply.name}`;
  } else if (reply.type === "index") {
    renderEntries(reply.url, reply.entries, reply.ms);
    setStatus(`ready: ${reply.entries.length} entries; click one to load it`);
  } else if (reply.type === "slice") {
    const started = performance.now();
    const image = new ImageData(new Uint8ClampedArray(reply.rgba), reply.width, reply.height);
    canvas.getContext("2d")!.putImageData(image, 0, 0);
    sliceNumber.textContent = `${reply.z + 1} / ${Number(slider.max) + 1}`;
    perf.lastSliceMs = reply.ms;
    perf.lastDrawMs = performance.now() - started;
    canvas.dataset.z = String(reply.z);
    showTimings([["slice", reply.ms + perf.lastDrawMs]]);
  } else if (reply.type === "compared") {
    renderComparison(reply.name, reply.rows, reply.absent, reply.voxelMl, reply.ms);
    setStatus("ready");
  } else if (reply.type === "saved") {
    download(reply.bytes, reply.name, "application/octet-stream");
    setStatus("ready");
  } else if (reply.type === "meshed") {
    download(reply.bytes, reply.name, "model/gltf-binary");
    meshButton.dataset.ms = reply.ms.toFixed(0);
    meshButton.dataset.meshMs = reply.meshMs.toFixed(0);
    showTimings([["surfaces", reply.meshMs], [".glb", reply.ms - reply.meshMs]]);
    setStatus(`ready: ${reply.organs} organs, ${reply.triangles.toLocaleString("en")} triangles in ${reply.name}`);
  } else {
    setStatus(`error: ${reply.message}${reply.keptPrevious ? " (the previous mask is still loaded)" : ""}`, true);
  }
};
/** Offers `bytes` as a download named `name`. */
function download(bytes: ArrayBuffer, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

worker.onerror = (event) => setStatus(`error: ${event.message}`, true);

fileInput.addEventListener("change", () => load([...(fileInput.files ?? [])]));
compareInput.addEventListener("change", () => {
  const files = [...(compareInput.files ?? [])];
  if (files.length === 0) return;
  setStatus(`comparing with ${files.length === 1 ? files[0]!.name : `${files.length} files`}…`);
  send({ type: "compare", files });
});
filter.addEventListener("input", () => {
  renderTable();
  requestSlice();
});
slider.addEventListener("input", requestSlice);
meshButton.addEventListener("click", () => {
  setStatus("making surfaces…");
  const smoothing = Math.round(Number(smoothingInput.value));
  send({ type: "mesh", smoothing: Number.isFinite(smoothing) ? Math.min(100, Math.max(0, smoothing)) : 10 });
});
saveButton.addEventListener("click", () => {
  setStatus("saving…");
  send({ type: "save" });
});
for (const th of document.querySelectorAll<HTMLTableCellElement>("#labels th")) {
  th.addEventListener("click", () => {
    if (th.dataset.key === "color") return; // the swatch column does not sort
    const key = th.dataset.key as typeof sortKey;
    sortDescending = sortKey === key ? !sortDescending : key === "voxels" || key === "ml";
    sortKey = key;
    renderTable();
  });
}
document.addEventListener("dragover", (e) => {
  e.preventDefault();
  document.body.classList.add("dragging");
});
document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
document.addEventListener("drop", (e) => {
  e.preventDefault();
  document.body.classList.remove("dragging");
  load([...(e.dataTransfer?.files ?? [])]);
});

// ?url=…: an archive on a server (relative to this page, or absolute; the server must allow
// range requests, and CORS with Content-Range, ETag and Last-Modified exposed if elsewhere).
const archiveUrl = new URLSearchParams(location.search).get("url");
if (archiveUrl) {
  const url = new URL(archiveUrl, location.href).href;
  setStatus(`opening ${url}…`);
  send({ type: "openUrl", url });
}
