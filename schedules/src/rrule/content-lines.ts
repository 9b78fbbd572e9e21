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
  /** Original offset of each character of `text`. */
  offsets: number[];
}

function splitLines(input: string): RawLine[] {
  const lines: RawLine[] = [];
  let cur: RawLine = { text: '', offsets: [] };
  const flush = (): void => {
    lines.push(cur);
    cur = { text: '', offsets: [] };
  };
  let i = 0;
  while (i < input.length) {
    let breakLen = 0;
    if (input[i] === '\r' && input[i + 1] === '\n') breakLen = 2;
    else if (input[i] === '\n' || input[i] === '\r') breakLen = 1;
    else if (input[i] === '\\' && input[i + 1] === 'n') breakLen = 2;
    if (breakLen === 0) {
      cur.text += input[i];
      cur.offsets.push(i);
      i++;
      continue;
    }
    i += breakLen;
    // A line break followed by a space or tab is folding (RFC 5545 3.1): the line continues.
    if ((input[i] === ' ' || input[i] === '\t') && cur.text.length > 0) {
      i++;
      continue;
    }
    flush();
  }
  flush();
  return lines.filter((l) => l.text.trim().length > 0);
}

/** Splits text into content lines; throws RuleError INVALID_SYNTAX with the offending offset. */
export function parseContentLines(input: string): ContentLine[] {
  return splitLines(input).map((raw) => parseLine(raw));
}

function parseLine(raw: RawLine): ContentLine {
  const { text, offsets } = raw;
  const lead = text.length - text.trimStart().length;
  const at = (i: number): number => offsets[Math.min(i, offsets.length - 1)] ?? 0;
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
