/**
 * Where JSON text first breaks the grammar of RFC 8259 (ECMA-404), for error messages: `JSON.parse` says
 * *that* text is invalid, but only some engines say where, each in its own words. This scanner only checks
 * syntax (no values are built) and keeps its nesting on an explicit stack, so hostile nesting depth cannot
 * overflow the call stack.
 */

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;

/** What the scanner expects next. */
type State = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'after';

/** End offset of the string starting at `at` (a `"`), or the negative of 1 + the offset of its first error. */
function scanString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -(i + 1);
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!HEX.test(text.slice(i + 2, i + 6))) return -(i + 1);
        i += 6;
      } else if (e !== undefined && ESCAPES.has(e)) i += 2;
      else return -(i + 1);
    } else i++;
  }
  return -(text.length + 1);
}

/** End offset of the number starting at `at`, or the negative of 1 + the offset of its first error. */
function scanNumber(text: string, at: number): number {
  let i = at;
  const digits = () => {
    const start = i;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i - start;
  };
  if (text[i] === '-') i++;
  if (text[i] === '0') i++;
  else if (digits() === 0) return -(i + 1);
  if (text[i] === '.') {
    i++;
    if (digits() === 0) return -(i + 1);
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (digits() === 0) return -(i + 1);
  }
  return i;
}

/** End offset of `true`, `false` or `null` at `at`, or the negative of 1 + the offset of the first wrong character. */
function scanLiteral(text: string, at: number): number {
  const word = text[at] === 't' ? 'true' : text[at] === 'f' ? 'false' : 'null';
  for (let k = 0; k < word.length; k++) if (text[at + k] !== word[k]) return -(at + k + 1);
  return at + word.length;
}

/**
 * The offset (in UTF-16 code units) of the first character at which `text` stops being one JSON value
 * surrounded by whitespace, or `null` when it is valid JSON. An unexpected end gives `text.length`.
 */
export function jsonSyntaxErrorOffset(text: string): number | null {
  const stack: number[] = [];
  let state: State = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && WHITESPACE.has(text.charCodeAt(i))) i++;
    if (i >= text.length) return state === 'after' && stack.length === 0 ? null : i;
    const c = text[i] as string;
    let end = i + 1;
    if (state === 'after') {
      const top = stack.at(-1);
      if (c === ',' && top !== undefined) state = top === 0x7b ? 'key' : 'value';
      else if ((c === '}' && top === 0x7b) || (c === ']' && top === 0x5b)) stack.pop();
      else return i;
    } else if (state === 'key' || state === 'keyOrClose') {
      if (c === '}' && state === 'keyOrClose') {
        stack.pop();
        state = 'after';
      } else if (c !== '"') return i;
      else {
        end = scanString(text, i);
        if (end < 0) return -end - 1;
        while (end < text.length && WHITESPACE.has(text.charCodeAt(end))) end++;
        if (text[end] !== ':') return end;
        end++;
        state = 'value';
      }
    } else if (c === ']' && state === 'valueOrClose') {
      stack.pop();
      state = 'after';
    } else if (c === '{' || c === '[') {
      stack.push(c.charCodeAt(0));
      state = c === '{' ? 'keyOrClose' : 'valueOrClose';
    } else {
      if (c === '"') end = scanString(text, i);
      else if (c === '-' || (c >= '0' && c <= '9')) end = scanNumber(text, i);
      else if (c === 't' || c === 'f' || c === 'n') end = scanLiteral(text, i);
      else return i;
      if (end < 0) return -end - 1;
      state = 'after';
    }
    i = end;
  }
}

/** 1-based line and column of an offset (lines end at `\n`). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
