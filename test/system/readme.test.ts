// Runs every ```js example of README.md and of the docs it leads to as a user would: in a project folder of its own with
// medmask installed (node_modules/medmask, the built package), a TotalSegmentator output
// folder `s0000/` and a file the Python library wrote, `from_python.msk`; in a child Node
// process, comparing its output with the ```text block under it.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
const PROJECT = join(tmpdir(), `medmask-readme-project-${process.pid}`);
/** The README and the docs it leads to: every ```js block, with the ```text block under it. */
const DOCUMENTS = ["README.md", "docs/GUIDE.md", "docs/API.md", "docs/CLI.md", "docs/PERFORMANCE.md"];
const examples = DOCUMENTS.flatMap((doc) => [...readFileSync(join(ROOT, doc), "utf8").matchAll(/```js\n([\s\S]*?)```\s*(?:```text\n([\s\S]*?)```)?/g)].map((m) => ({ doc, code: m[1]!, expected: m[2] }))).map((e, i) => ({
  ...e,
  index: i + 1,
}));

describe("README examples", () => {
  // As in a new project: the examples' output files do not exist yet (saves refuse to replace one).
  beforeAll(() => {
    rmSync(PROJECT, { recursive: true, force: true });
    mkdirSync(join(PROJECT, "node_modules"), { recursive: true });
    writeFileSync(join(PROJECT, "package.json"), JSON.stringify({ name: "readme-project", private: true, type: "module", dependencies: { medmask: "*" } }));
    symlinkSync(ROOT, join(PROJECT, "node_modules/medmask"));
    symlinkSync(join(ROOT, "data/totalsegmentator-s0000"), join(PROJECT, "s0000"));
    copyFileSync(join(ROOT, "test/fixtures/python-medmask/seed_example.msk"), join(PROJECT, "from_python.msk"));
  });

  it("the README is a front door: at most 12 KB, library code on its first screen, every doc it links there", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme.length).toBeLessThanOrEqual(12 * 1024);
    expect(readme.split("\n").findIndex((line) => line === "```js")).toBeLessThan(60);
    for (const [, link] of readme.matchAll(/\]\(([^)#]+\.md)\)/g)) expect(() => readFileSync(join(ROOT, link!)), link).not.toThrow();
  });

  it("has examples, and none reaches into the repository's own folders", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const { index, doc, code } of examples) expect(code, `example ${index} (${doc})`).not.toMatch(/test\/|data\/|bench\/|\.\.\//);
  });

  it.each(examples)("example $index ($doc) runs and prints what the document says", ({ index, code, expected }) => {
    const file = join(PROJECT, `example-${index}.mjs`);
    writeFileSync(file, code);
    const output = execFileSync(process.execPath, [file], { cwd: PROJECT, encoding: "utf8" });
    if (expected !== undefined) expect(output.trim()).toBe(expected.trim());
  });
});
