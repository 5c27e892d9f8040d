// Runs every ```js example of README.md against the built package (import from "medmask"),
// in a child Node process, and compares its output with the ```text block under it.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../", import.meta.url);
const readme = readFileSync(new URL("README.md", ROOT), "utf8");
const examples = [...readme.matchAll(/```js\n([\s\S]*?)```\s*(?:```text\n([\s\S]*?)```)?/g)].map((m, i) => ({
  index: i + 1,
  code: m[1]!,
  expected: m[2],
}));

describe("README examples", () => {
  // As on a fresh clone: the examples' files do not exist yet (saves refuse to replace one).
  beforeAll(() => rmSync(new URL("test/.tmp/", ROOT), { recursive: true, force: true }));

  it("has examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)("example $index runs and prints what the README says", ({ index, code, expected }) => {
    const dir = new URL("test/.tmp/", ROOT);
    mkdirSync(dir, { recursive: true });
    const file = new URL(`readme-example-${index}.mjs`, dir);
    writeFileSync(file, code);
    const output = execFileSync(process.execPath, [file.pathname], { cwd: ROOT.pathname, encoding: "utf8" });
    if (expected !== undefined) expect(output.trim()).toBe(expected.trim());
  });
});
