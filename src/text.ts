// Trims of characters at a string's ends, in one linear scan. A regular expression such as
// /[\0 ]+$/ is tried at every start position, so a long run of those characters not at the
// end takes time growing with its square: a file's padding must never cost that.

/** `text` without the characters of `chars` at its end. @example trimEndOf("ab\0\0", "\0") === "ab" */
export function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without the characters of `chars` at its start. @example trimStartOf("  ab", " ") === "ab" */
export function trimStartOf(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text[start]!)) start++;
  return start === 0 ? text : text.slice(start);
}
