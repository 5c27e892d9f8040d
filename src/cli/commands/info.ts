import { basename } from "node:path";
import { MaskArchive, Space, decodeMask, initZstdDecoder, readMaskInfo, usesTotalSegmentatorLabels, type LabelMetadata, type LabelStat } from "medmask";
import { fileIO } from "medmask/internals";
import { InputError } from "medmask";
import { asMask, inputKind, isDirectory, maxMemory, readInput } from "../io.js";
import { formatTable, ml } from "../table.js";

interface InfoReport {
  file: string;
  format: string;
  /** Whose layout a .msk / .mska file has: medmask's own, or the Python library's. */
  layout?: "native" | "python";
  bytes?: number;
  space: ReturnType<Space["toJSON"]>;
  bitDepth?: number;
  /** "header" when the statistics come from the file's header, "voxels" when computed. */
  statsFrom: "header" | "voxels" | "none";
  /** Label volumes of the mask (more than 1 where labels overlap). */
  layers?: number;
  /** Colours and codes by name, where labels have them. */
  metadata?: Record<string, LabelMetadata>;
  labels?: LabelStat[];
  /** Present when the label numbers are TotalSegmentator's (task "total", v2), as its tools number them. */
  classMap?: "totalsegmentator-total-v2";
  entries?: Array<{ name: string; mapping: Record<string, number>; labels: LabelStat[] | null }>;
}

/** An archive's entries and their statistics, from its index alone. */
function archiveReport(path: string, archive: MaskArchive): InfoReport {
  const mappings = archive.mappings();
  const entries = archive.names().map((name) => ({ name, mapping: mappings[name]!.toJSON(), labels: archive.stats(name) }));
  return { file: path, format: `${archive.format} archive`, layout: archive.format, space: archive.space.toJSON(), statsFrom: archive.format === "native" ? "header" : "none", entries };
}

/** How long `info` waits for a whole answer over HTTP unless `--timeout` says otherwise. */
export const HTTP_DEADLINE_SECONDS = 120;

async function report(path: string, timeoutSeconds: number): Promise<InfoReport> {
  const r = await readReport(path, timeoutSeconds);
  return r.labels && usesTotalSegmentatorLabels(r.labels.map((l) => [l.name, l.label])) ? { ...r, classMap: "totalsegmentator-total-v2" } : r;
}

async function readReport(path: string, timeoutSeconds: number): Promise<InfoReport> {
  if (/^https?:\/\//i.test(path)) {
    // Over HTTP only the index is fetched (range requests), which archives have.
    if (!/\.mska$/i.test(new URL(path).pathname)) throw new InputError("INVALID_ARGUMENT", `${path}: over HTTP, info reads archives (.mska) from their index; download other files first.`);
    // A server that drips bytes never stalls: the deadline bounds the whole read.
    return archiveReport(path, await MaskArchive.fromUrl(path, { maxBytes: maxMemory(), signal: AbortSignal.timeout(timeoutSeconds * 1000) }));
  }
  const kind = await inputKind(path, await isDirectory(path));
  if (kind === "msk") {
    const bytes = await fileIO("Reading").readFile(path);
    const info = readMaskInfo(bytes);
    if (!info.stats) await initZstdDecoder();
    const format = `${info.format} ${info.version} (${info.codec})`;
    const layout = info.format === "python-medmask" ? "python" : "native";
    if (info.stats) {
      return { file: path, format, layout, bytes: bytes.length, space: info.space.toJSON(), bitDepth: info.bitDepth, statsFrom: "header", layers: info.layerCount, metadata: info.metadata, labels: info.stats };
    }
    const mask = decodeMask(bytes); // Python files store no statistics
    return { file: path, format, layout, bytes: bytes.length, space: mask.space.toJSON(), bitDepth: mask.bitDepth, statsFrom: "voxels", layers: 1, metadata: {}, labels: mask.labelStats() };
  }
  if (kind === "mska") {
    const archive = await MaskArchive.open(path);
    try {
      return archiveReport(path, archive);
    } finally {
      await archive.close();
    }
  }
  const mask = await asMask(await readInput(path), () => undefined);
  return { file: path, format: kind, space: mask.space.toJSON(), bitDepth: mask.bitDepth, statsFrom: "voxels", layers: mask.layerCount, metadata: mask.allMetadata(), labels: mask.labelStats() };
}

function labelTable(labels: readonly LabelStat[]): string {
  return formatTable(
    ["name", "label", "voxels", "mL", "bbox min (z,y,x)", "bbox max (z,y,x)"],
    labels.map((s) => [s.name, s.label, s.voxels, ml(s.volumeMm3 / 1000), s.bbox ? s.bbox.min.join(",") : "-", s.bbox ? s.bbox.max.join(",") : "-"]),
  );
}

/** `medmask info FILE [--json]`. */
export async function info(path: string, options: { json?: boolean; timeout?: number }, print: (text: string) => void): Promise<void> {
  const r = await report(path, options.timeout ?? HTTP_DEADLINE_SECONDS);
  if (options.json) {
    print(JSON.stringify(r, null, 2));
    return;
  }
  const s = r.space;
  const lines = [
    `${basename(path)}: ${r.format}${r.bytes !== undefined ? `, ${r.bytes} bytes` : ""}${r.bitDepth ? `, bit depth ${r.bitDepth}` : ""}`,
    ...(r.layout ? [`layout: ${r.layout === "python" ? "the Python medmask library's (zstd; its MaskFile / MaskArchive read it)" : "medmask native (docs/FORMAT.md)"}`] : []),
    `space (z, y, x): shape ${s.shape.join(" x ")}, spacing ${s.spacing.map((v) => +v.toFixed(6)).join(" ")} mm, origin ${s.origin.map((v) => +v.toFixed(4)).join(" ")}`,
    `axes: ${Space.fromJSON(s).describeAxes().join("; ")} (codes ${Space.fromJSON(s).axisCodes.join("")}, LPS world)`,
    `orientation (unit vectors in LPS): axis 0 ${s.x_orientation.map((v) => +v.toFixed(6)).join(" ")} | axis 1 ${s.y_orientation.map((v) => +v.toFixed(6)).join(" ")} | axis 2 ${s.z_orientation.map((v) => +v.toFixed(6)).join(" ")}`,
    `statistics: ${r.statsFrom === "header" ? "from the header (no voxel decoded)" : r.statsFrom === "voxels" ? "computed from the voxels" : "not stored in this file"}`,
    ...(r.classMap ? [`label numbers: TotalSegmentator's class map (task "total", v2: spleen 1 ... costal_cartilages 117), as its multi-label output`] : []),
    ...(r.layers !== undefined && r.layers > 1 ? [`layers: ${r.layers} (labels that share voxels lie in different layers; every voxel kept)`] : []),
    ...(r.metadata && Object.keys(r.metadata).length > 0 ? [`label metadata (colour, codes): ${Object.keys(r.metadata).length} of ${r.labels?.length ?? 0} labels`] : []),
  ];
  if (r.labels) lines.push("", labelTable(r.labels));
  for (const e of r.entries ?? []) {
    lines.push("", `[${e.name}] mapping ${JSON.stringify(e.mapping)}`);
    if (e.labels) lines.push(labelTable(e.labels));
  }
  print(lines.join("\n"));
}
