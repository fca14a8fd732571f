// A small incremental JSON (RFC 8259) value parser over text that arrives in pieces: it parses one
// value starting at an index and reports "incomplete" when the text ends before the value does, so
// the caller can append the next chunk and retry from the same index. Used by the Dataset-JSON
// reader to walk a document chunk by chunk and to take each element of `rows` separately.

/** Returned by JsonScanner.value when the text ends inside the value (and more may follow). */
export const INCOMPLETE = -1;

/** Deepest nesting of arrays and objects accepted inside one value. A Dataset-JSON row is one array
 *  of scalars and its metadata a few levels deep; the limit keeps this recursive parser far from the
 *  JavaScript stack limit, so hostile nesting is a located error, not a crash. */
export const MAX_JSON_DEPTH = 64;

/** A JSON syntax error at `index` of the scanned text. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly index: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected}, found ${found}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Human rendering of the character at `i` (or end of input) for error messages; one character,
 *  so that the message does not depend on how the input was chunked. */
export function describeAt(s: string, i: number): string {
  if (i >= s.length) return 'end of file';
  const cp = s.codePointAt(i)!;
  if (cp <= 0x20) return `character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(cp)}'`;
}

/** Characters that can appear in a JSON number: 0-9 + - . e E. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

export function skipWhitespace(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return i;
}

export class JsonScanner {
  /** The value parsed by the last successful call of `value`. */
  result: unknown;

  /** Parses one JSON value starting at `i` (leading whitespace allowed). Returns the index after
   *  it, or INCOMPLETE if `s` ends first and `final` is false. Throws JsonSyntaxError. */
  value(s: string, i: number, final: boolean, depth = 0): number {
    i = skipWhitespace(s, i);
    if (i >= s.length) return this.end(s, i, final, 'a JSON value');
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x7b: // {
        return this.object(s, this.nest(i, depth), final, depth + 1);
      case 0x5b: // [
        return this.array(s, this.nest(i, depth), final, depth + 1);
      case 0x22: // "
        return this.string(s, i, final);
      case 0x74: // t
        return this.literal(s, i, final, 'true', true);
      case 0x66: // f
        return this.literal(s, i, final, 'false', false);
      case 0x6e: // n
        return this.literal(s, i, final, 'null', null);
      default: {
        let end = i;
        while (end < s.length && isNumberChar(s.charCodeAt(end))) end++;
        if (end >= s.length && !final) return INCOMPLETE; // the number may go on in the next chunk
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(s);
        if (!m || m[0].length !== end - i) throw new JsonSyntaxError(i, 'a JSON value', describeAt(s, i));
        this.result = Number(m[0]);
        return end;
      }
    }
  }

  private nest(i: number, depth: number): number {
    if (depth >= MAX_JSON_DEPTH) throw new JsonSyntaxError(i, `arrays and objects nested at most ${MAX_JSON_DEPTH} deep`, 'deeper nesting');
    return i;
  }

  private end(s: string, i: number, final: boolean, expected: string): number {
    if (!final) return INCOMPLETE;
    throw new JsonSyntaxError(i, expected, describeAt(s, i));
  }

  private literal(s: string, i: number, final: boolean, word: string, v: unknown): number {
    const have = s.slice(i, i + word.length);
    if (have === word) {
      this.result = v;
      return i + word.length;
    }
    if (have.length < word.length && word.startsWith(have)) return this.end(s, s.length, final, `"${word}"`);
    throw new JsonSyntaxError(i, 'a JSON value', describeAt(s, i));
  }

  private string(s: string, i: number, final: boolean): number {
    let escaped = false;
    let j = i + 1;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        j++;
      } else if (c < 0x20) throw new JsonSyntaxError(j, 'a closing quote or an escaped control character', describeAt(s, j));
    }
    if (j >= s.length) return this.end(s, s.length, final, 'a closing quote "');
    if (!escaped) this.result = s.slice(i + 1, j);
    else {
      try {
        this.result = JSON.parse(s.slice(i, j + 1));
      } catch {
        throw new JsonSyntaxError(s.indexOf('\\', i), 'a valid escape sequence', describeAt(s, s.indexOf('\\', i)));
      }
    }
    return j + 1;
  }

  private array(s: string, i: number, final: boolean, depth: number): number {
    const out: unknown[] = [];
    i = skipWhitespace(s, i + 1);
    if (i >= s.length) return this.end(s, i, final, 'a value or "]"');
    if (s.charCodeAt(i) === 0x5d) {
      this.result = out;
      return i + 1;
    }
    for (;;) {
      i = this.value(s, i, final, depth);
      if (i === INCOMPLETE) return INCOMPLETE;
      out.push(this.result);
      i = skipWhitespace(s, i);
      if (i >= s.length) return this.end(s, i, final, '"," or "]"');
      const c = s.charCodeAt(i);
      if (c === 0x2c) {
        i++;
        continue;
      }
      if (c === 0x5d) {
        this.result = out;
        return i + 1;
      }
      throw new JsonSyntaxError(i, '"," or "]"', describeAt(s, i));
    }
  }

  private object(s: string, i: number, final: boolean, depth: number): number {
    const out: Record<string, unknown> = {};
    i = skipWhitespace(s, i + 1);
    if (i >= s.length) return this.end(s, i, final, 'a key or "}"');
    if (s.charCodeAt(i) === 0x7d) {
      this.result = out;
      return i + 1;
    }
    for (;;) {
      i = skipWhitespace(s, i);
      if (i >= s.length) return this.end(s, i, final, 'a key string');
      if (s.charCodeAt(i) !== 0x22) throw new JsonSyntaxError(i, 'a key string', describeAt(s, i));
      i = this.string(s, i, final);
      if (i === INCOMPLETE) return INCOMPLETE;
      const key = this.result as string;
      i = skipWhitespace(s, i);
      if (i >= s.length) return this.end(s, i, final, '":"');
      if (s.charCodeAt(i) !== 0x3a) throw new JsonSyntaxError(i, '":"', describeAt(s, i));
      i = this.value(s, i + 1, final, depth);
      if (i === INCOMPLETE) return INCOMPLETE;
      out[key] = this.result;
      i = skipWhitespace(s, i);
      if (i >= s.length) return this.end(s, i, final, '"," or "}"');
      const c = s.charCodeAt(i);
      if (c === 0x2c) {
        i++;
        continue;
      }
      if (c === 0x7d) {
        this.result = out;
        return i + 1;
      }
      throw new JsonSyntaxError(i, '"," or "}"', describeAt(s, i));
    }
  }
}
