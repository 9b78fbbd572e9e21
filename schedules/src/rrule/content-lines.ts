/**
 * RFC 5545 content lines as they reach us from JSON, a form field or a shell argument: real newlines (CRLF or LF),
 * the two characters `\n`, and folded continuation lines (a newline followed by a space or tab) all work. Every line
 * and parameter keeps the offset in the original text at which it starts, so errors can point at it.
 */
import { RuleError } from '../rules/errors';

export interface ContentLine {
  /** Upper-cased property name, e.g. "DTSTART". */
  name: string;
  /** Upper-cased parameter names -> values (quotes removed). */
  params: Map<string, string>;
  value: string;
  /** Offset of the line's first character in the original text. */
  position: number;
  /** Offset of the value's first character in the original text. */
  valuePosition: number;
}

interface RawLine {
  text: string;
  /** Where each piece of `text` came from: [offset in text, offset in the original], ascending. */
  segments: Array<[number, number]>;
}

/** The next line break at or after `i`: [its offset, its length], or [-1, 0]. */
function nextBreak(input: string, i: number): [number, number] {
  for (let j = i; j < input.length; j++) {
    const ch = input.charCodeAt(j);
    if (ch === 13) return [j, input.charCodeAt(j + 1) === 10 ? 2 : 1];
    if (ch === 10) return [j, 1];
    if (ch === 92 && input.charCodeAt(j + 1) === 110) return [j, 2]; // the two characters \n
  }
  return [-1, 0];
}

function splitLines(input: string): RawLine[] {
  const lines: RawLine[] = [];
  let cur: RawLine = { text: '', segments: [] };
  let i = 0;
  while (i <= input.length) {
    const [at, len] = nextBreak(input, i);
    const end = at < 0 ? input.length : at;
    if (end > i) {
      cur.segments.push([cur.text.length, i]);
      cur.text += input.slice(i, end);
    }
    if (at < 0) break;
    i = at + len;
    // A line break followed by a space or tab is folding (RFC 5545 3.1): the line continues.
    if ((input[i] === ' ' || input[i] === '\t') && cur.text.length > 0) {
      i++;
      continue;
    }
    lines.push(cur);
    cur = { text: '', segments: [] };
  }
  lines.push(cur);
  return lines.filter((l) => l.text.trim().length > 0);
}

/** Splits text into content lines; throws RuleError INVALID_SYNTAX with the offending offset. */
export function parseContentLines(input: string): ContentLine[] {
  return splitLines(input).map((raw) => parseLine(raw));
}

function parseLine(raw: RawLine): ContentLine {
  const { text, segments } = raw;
  const lead = text.length - text.trimStart().length;
  const at = (i: number): number => {
    let seg = segments[0];
    for (const s of segments) if (s[0] <= i) seg = s;
    return seg[1] + Math.min(i, text.length) - seg[0];
  };
  // name, then ;PARAM=VALUE..., then ':' value. Parameter values may be quoted and contain ':' or ';'.
  let i = lead;
  while (i < text.length && /[A-Za-z0-9-]/.test(text[i])) i++;
  const name = text.slice(lead, i).toUpperCase();
  if (name.length === 0) {
    throw new RuleError(
      'INVALID_SYNTAX',
      `expected a content line such as "RRULE:FREQ=WEEKLY" or "DTSTART:20260105T090000Z", found "${text.trim()}"`,
      { part: 'content line', position: at(lead) },
    );
  }
  const params = new Map<string, string>();
  while (text[i] === ';') {
    const pStart = i + 1;
    let j = pStart;
    while (j < text.length && text[j] !== '=' && text[j] !== ':' && text[j] !== ';') j++;
    if (text[j] !== '=') {
      throw new RuleError('INVALID_SYNTAX', `${name}: parameter "${text.slice(pStart, j)}" has no "=value"`, {
        part: name,
        position: at(pStart),
      });
    }
    const pName = text.slice(pStart, j).toUpperCase();
    j++;
    let value: string;
    if (text[j] === '"') {
      const close = text.indexOf('"', j + 1);
      if (close < 0) {
        throw new RuleError('INVALID_SYNTAX', `${name}: unterminated quoted value of ${pName}`, {
          part: name,
          position: at(j),
        });
      }
      value = text.slice(j + 1, close);
      j = close + 1;
    } else {
      const vStart = j;
      while (j < text.length && text[j] !== ';' && text[j] !== ':') j++;
      value = text.slice(vStart, j);
    }
    if (params.has(pName)) {
      throw new RuleError('INVALID_SYNTAX', `${name}: parameter ${pName} is given twice`, {
        part: name,
        position: at(pStart),
      });
    }
    params.set(pName, value);
    i = j;
  }
  if (text[i] !== ':') {
    throw new RuleError('INVALID_SYNTAX', `${name}: expected ":" before the value`, { part: name, position: at(i) });
  }
  const value = text.slice(i + 1).trimEnd();
  return { name, params, value, position: at(lead), valuePosition: at(i + 1) };
}
