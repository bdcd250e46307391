/**
 * A parser for the Python literals an `.npy` header holds (NEP 1 / numpy `lib.format`: the header is the
 * `repr` of a dict such as `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`), never `eval`:
 * dicts, tuples, lists, quoted strings, integers (with Python 2's `L` suffix), floats, True, False, None.
 * Nesting is capped, so hostile headers cannot exhaust the stack.
 */
import type { FormatError } from '../formatError';

/** A parsed Python literal. Tuples and lists keep their kind; dict keys keep their order. */
export type PyLiteral =
  | null
  | boolean
  | number
  | string
  | { readonly kind: 'tuple' | 'list'; readonly items: readonly PyLiteral[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [PyLiteral, PyLiteral])[] };

/** Deepest nesting accepted (numpy headers nest at most a few levels, for structured dtypes). */
export const MAX_LITERAL_DEPTH = 32;

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly fail: (message: string) => FormatError,
  ) {}

  private error(what: string): FormatError {
    return this.fail(`${what} at character ${this.pos} of ${JSON.stringify(this.text.length > 120 ? `${this.text.slice(0, 120)}…` : this.text)}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) this.pos++;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) throw this.error(`expected "${ch}"`);
    this.pos++;
  }

  parseAll(): PyLiteral {
    const value = this.value(0);
    if (this.peek() !== '') throw this.error('unexpected text after the literal');
    return value;
  }

  private value(depth: number): PyLiteral {
    if (depth > MAX_LITERAL_DEPTH) throw this.error(`nesting deeper than ${MAX_LITERAL_DEPTH}`);
    const ch = this.peek();
    if (ch === '{') return this.dict(depth);
    if (ch === '(' || ch === '[') return this.sequence(depth, ch);
    if (ch === "'" || ch === '"') return this.string(ch);
    const word = /^(?:True|False|None)\b/.exec(this.text.slice(this.pos, this.pos + 6))?.[0];
    if (word) {
      this.pos += word.length;
      return word === 'None' ? null : word === 'True';
    }
    return this.number();
  }

  private dict(depth: number): PyLiteral {
    this.pos++;
    const entries: (readonly [PyLiteral, PyLiteral])[] = [];
    while (this.peek() !== '}') {
      const key = this.value(depth + 1);
      this.expect(':');
      entries.push([key, this.value(depth + 1)]);
      if (this.peek() !== ',') break;
      this.pos++;
    }
    this.expect('}');
    return { kind: 'dict', entries };
  }

  /** `(…)` is a tuple when empty or when it has a comma; otherwise just parentheses. */
  private sequence(depth: number, open: string): PyLiteral {
    const close = open === '(' ? ')' : ']';
    this.pos++;
    const items: PyLiteral[] = [];
    let comma = false;
    while (this.peek() !== close) {
      items.push(this.value(depth + 1));
      if (this.peek() !== ',') break;
      comma = true;
      this.pos++;
    }
    this.expect(close);
    if (open === '(' && items.length === 1 && !comma) return items[0] as PyLiteral;
    return { kind: open === '(' ? 'tuple' : 'list', items };
  }

  private string(quote: string): string {
    let out = '';
    for (this.pos++; ; this.pos++) {
      const ch = this.text[this.pos];
      if (ch === undefined || ch === '\n') throw this.error('unterminated string');
      if (ch === quote) break;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = this.text[++this.pos] ?? '';
      const hex = next === 'x' ? 2 : next === 'u' ? 4 : 0;
      if (hex > 0) {
        const digits = this.text.slice(this.pos + 1, this.pos + 1 + hex);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) throw this.error('bad escape');
        out += String.fromCharCode(parseInt(digits, 16));
        this.pos += hex;
      } else {
        out += ESCAPES[next] ?? `\\${next}`;
      }
    }
    this.pos++;
    return out;
  }

  private number(): number {
    const match = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)[lL]?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) throw this.error('expected a value');
    this.pos += match[0].length;
    return Number(match[0].replace(/[lL]$/, ''));
  }
}

/**
 * Parse one Python literal.
 *
 * @param text the literal, e.g. an `.npy` header dict
 * @param fail makes the error for a message (the caller names the file)
 * @throws the FormatError `fail` returns, for any syntax error or nesting over {@link MAX_LITERAL_DEPTH}
 */
export function parsePyLiteral(text: string, fail: (message: string) => FormatError): PyLiteral {
  return new Parser(text, fail).parseAll();
}
