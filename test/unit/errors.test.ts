// One table from error code to error class (issue 18): every code has its class, and every
// error medmask raises is of the class its code says.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CLASSES, FileError, FormatError, InputError, LabelError, MedMaskError, type MedMaskErrorCode } from "../../src/index.js";
import { errorOf } from "../../src/errors.js";

const ROOT = new URL("../../", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("error codes and classes", () => {
  it("every code has a class below MedMaskError, and errorOf makes that class", () => {
    for (const [code, Class] of Object.entries(ERROR_CLASSES) as [MedMaskErrorCode, (typeof ERROR_CLASSES)[MedMaskErrorCode]][]) {
      const error = errorOf(code, "x");
      expect(error, code).toBeInstanceOf(Class);
      expect(error, code).toBeInstanceOf(MedMaskError);
      expect(Class, code).not.toBe(MedMaskError);
      expect(error.code).toBe(code);
      expect(error.name).toBe(Class.name);
    }
    expect(errorOf("FILE_EXISTS", "x")).toBeInstanceOf(FileError);
    expect(errorOf("TRUNCATED", "x")).toBeInstanceOf(FormatError);
    expect(errorOf("LAYERED", "x")).toBeInstanceOf(InputError);
    expect(errorOf("INVALID_NAME", "x")).toBeInstanceOf(LabelError);
  });

  it("every error src/ and web/ raise with a literal code is of the class the table gives that code", () => {
    const wrong: string[] = [];
    let seen = 0;
    for (const file of [...files(join(ROOT, "src")), ...files(join(ROOT, "web"))]) {
      const text = readFileSync(file, "utf8");
      if (/new MedMaskError\(/.test(text)) wrong.push(`${relative(ROOT, file)}: a bare MedMaskError (use the code's class, or errorOf)`);
      for (const m of text.matchAll(/new (\w+Error)\(\s*"([A-Z_]+)"/g)) {
        seen++;
        const Class = ERROR_CLASSES[m[2] as MedMaskErrorCode];
        if (!Class) wrong.push(`${relative(ROOT, file)}: unknown code ${m[2]}`);
        else if (Class.name !== m[1]) wrong.push(`${relative(ROOT, file)}: ${m[2]} raised as ${m[1]}, the table says ${Class.name}`);
      }
    }
    expect(seen).toBeGreaterThan(200);
    expect(wrong).toEqual([]);
  });
});
