// The part of RFC 8941 (Structured Field Values) that RFC 9421 and RFC 9530 need: dictionaries whose members are
// items or inner lists, with parameters. Strict: anything else is a parse error, never a guess.

/** A bare item. Byte sequences are Buffers; tokens are kept apart from strings because they serialize differently. */
export type BareItem = string | number | boolean | Buffer | Token;
/** An item with its parameters (in order). */
export interface Item {
  value: BareItem;
  params: [string, BareItem][];
}
/** An inner list with its parameters. */
export interface InnerList {
  items: Item[];
  params: [string, BareItem][];
}
/** A dictionary member. */
export type Member = Item | InnerList;

/** An RFC 8941 token (unquoted). */
export class Token {
  constructor(readonly name: string) {}
}

/** Thrown for any text that is not a valid structured field. */
export class StructuredFieldError extends Error {}

/** Parses an RFC 8941 dictionary (section 4.2.2). */
export function parseDictionary(input: string): Map<string, Member> {
  const p = new Parser(input);
  const result = new Map<string, Member>();
  p.skipSP();
  if (p.done()) return result;
  for (;;) {
    const key = p.key();
    let member: Member;
    if (p.peek() === '=') {
      p.pos++;
      member = p.member();
    } else {
      member = { value: true, params: p.params() };
    }
    if (result.has(key)) throw new StructuredFieldError(`duplicate member ${key}`);
    result.set(key, member);
    p.skipOWS();
    if (p.done()) return result;
    if (p.next() !== ',') throw new StructuredFieldError('expected ","');
    p.skipOWS();
    if (p.done()) throw new StructuredFieldError('trailing ","');
  }
}

/** True when `m` is an inner list. */
export function isInnerList(m: Member): m is InnerList {
  return 'items' in m;
}

/** Serializes a bare item (section 4.1.3). */
export function serializeBareItem(value: BareItem): string {
  if (value instanceof Token) return value.name;
  if (Buffer.isBuffer(value)) return `:${value.toString('base64')}:`;
  if (typeof value === 'boolean') return value ? '?1' : '?0';
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) > 999_999_999_999_999)
      throw new StructuredFieldError('integer out of range');
    return String(value);
  }
  if (!/^[\x20-\x7e]*$/.test(value)) throw new StructuredFieldError('string with non-ASCII characters');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Serializes parameters (section 4.1.1.2): `;key=value`, or `;key` for true. */
export function serializeParams(params: [string, BareItem][]): string {
  return params.map(([k, v]) => (v === true ? `;${k}` : `;${k}=${serializeBareItem(v)}`)).join('');
}

/** Serializes an inner list with its parameters (section 4.1.1.1). */
export function serializeInnerList(list: InnerList): string {
  return `(${list.items.map((i) => serializeBareItem(i.value) + serializeParams(i.params)).join(' ')})${serializeParams(list.params)}`;
}

const KEY = /[a-z*][a-z0-9_\-.*]*/y;
const BYTES = /:([A-Za-z0-9+/=]*):/y;
const BOOLEAN = /\?[01]/y;
const INTEGER = /-?[0-9]{1,15}(?![0-9.])/y;
const TOKEN = /[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/y;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  next(): string {
    return this.s[this.pos++] ?? '';
  }
  skipSP(): void {
    while (this.peek() === ' ') this.pos++;
  }
  skipOWS(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** Matches `re` (sticky) at the current position and advances past it; null when it does not match. */
  match(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.s);
    if (m) this.pos += m[0].length;
    return m;
  }

  key(): string {
    const m = this.match(KEY);
    if (!m) throw new StructuredFieldError('expected a key');
    return m[0];
  }

  member(): Member {
    if (this.peek() === '(') return this.innerList();
    const value = this.bareItem();
    return { value, params: this.params() };
  }

  innerList(): InnerList {
    this.pos++;
    const items: Item[] = [];
    for (;;) {
      this.skipSP();
      if (this.peek() === ')') {
        this.pos++;
        return { items, params: this.params() };
      }
      if (this.done()) throw new StructuredFieldError('unterminated inner list');
      const value = this.bareItem();
      items.push({ value, params: this.params() });
      const c = this.peek();
      if (c !== ' ' && c !== ')') throw new StructuredFieldError('expected " " or ")"');
    }
  }

  params(): [string, BareItem][] {
    const params: [string, BareItem][] = [];
    while (this.peek() === ';') {
      this.pos++;
      this.skipSP();
      const key = this.key();
      let value: BareItem = true;
      if (this.peek() === '=') {
        this.pos++;
        value = this.bareItem();
      }
      // RFC 8941 lets a later duplicate overwrite an earlier one; for signature metadata that only hides what the
      // sender meant, so a duplicate is an error here.
      if (params.some(([k]) => k === key)) throw new StructuredFieldError(`duplicate parameter ${key}`);
      params.push([key, value]);
    }
    return params;
  }

  bareItem(): BareItem {
    const c = this.peek();
    if (c === '"') return this.string();
    if (c === ':') {
      const m = this.match(BYTES);
      if (!m) throw new StructuredFieldError('bad byte sequence');
      const bytes = Buffer.from(m[1], 'base64');
      if (bytes.toString('base64') !== m[1]) throw new StructuredFieldError('non-canonical base64');
      return bytes;
    }
    if (c === '?') {
      const m = this.match(BOOLEAN);
      if (!m) throw new StructuredFieldError('bad boolean');
      return m[0] === '?1';
    }
    const num = this.match(INTEGER);
    if (num) return Number(num[0]);
    const token = this.match(TOKEN);
    if (token) return new Token(token[0]);
    throw new StructuredFieldError('expected an item');
  }

  string(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.next();
      if (c === '') throw new StructuredFieldError('unterminated string');
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.next();
        if (e !== '"' && e !== '\\') throw new StructuredFieldError('bad escape');
        out += e;
      } else if (c < ' ' || c > '~') {
        throw new StructuredFieldError('bad string character');
      } else {
        out += c;
      }
    }
  }
}
