// The public surface, pinned (as zarrita pins its own): every name each entry exports, and
// what kind of value it is. A change here is a change of the API, made on purpose: update
// the snapshot (`npx vitest run test/system/public-api.test.ts -u`) in the same commit, and
// say so in its message. Types are pinned by `npm run typecheck` against the docs' examples.
import { describe, expect, it } from "vitest";
import * as core from "../../src/index.js";
import * as internals from "../../src/internals.js";
import * as node from "../../src/node.js";

const surface = (entry: Record<string, unknown>) => Object.fromEntries(Object.keys(entry).sort().map((name) => [name, typeof entry[name]]));

describe("the public exports", () => {
  it.each([
    ["medmask (browsers; the core entry)", core],
    ["medmask/node (and medmask in Node)", node],
    ["medmask/internals", internals],
  ] as const)("%s", (_, entry) => {
    expect(surface(entry as unknown as Record<string, unknown>)).toMatchSnapshot();
  });

  it("the Node entry is the core entry and the path helpers", () => {
    for (const name of Object.keys(core)) expect(Object.keys(node), name).toContain(name);
  });
});
