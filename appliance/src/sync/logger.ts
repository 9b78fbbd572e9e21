/** One structured event; never carries key material (callers pass ids, counts and messages only). */
export type SyncLogger = (event: Record<string, unknown>) => void;

/** JSON lines on stderr, stamped with the (injected) wall clock. */
export function jsonLinesLogger(
  write: (line: string) => void = (l) => process.stderr.write(l),
  wallMs: () => number = () => Date.now(),
): SyncLogger {
  return (event) => write(`${JSON.stringify({ at: new Date(wallMs()).toISOString(), component: 'sync', ...event })}\n`);
}
