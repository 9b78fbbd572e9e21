// Keys whose values are credentials wherever they appear in a log record.
const SECRET_KEY = /pass(word)?|secret|token|cookie|authorization|api[-_]?key|session|csrf|credential/i;
// Credentials embedded in URLs (postgres://user:password@host).
const URL_CREDENTIALS = /(\w+:\/\/[^:/\s]+:)[^@/\s]+@/g;

/** A copy of `value` safe to log: secret-looking keys masked, URL passwords removed. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(URL_CREDENTIALS, '$1***@');
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) ? '***' : redact(v, depth + 1);
  }
  return out;
}
