/** Bad command-line input: the CLI prints `message` as one line on stderr and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The flags of one command: names (without `--`) that take a value, and boolean switches. */
export interface FlagSpec {
  values: readonly string[];
  switches: readonly string[];
}

export interface ParsedArgs {
  values: Map<string, string>;
  switches: Set<string>;
}

/**
 * Parses `--name value`, `--name=value` and `--switch`. Refuses unknown flags, positional arguments, repeated flags
 * and a value flag with nothing after it, naming the flag and what to write instead.
 */
export function parseArgs(command: string, argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new UsageError(`unexpected argument "${arg}" for ${command}: flags look like --name value (see --help)`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.switches.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
      continue;
    }
    if (!spec.values.includes(name)) {
      const known = [...spec.values, ...spec.switches].map((f) => `--${f}`).join(', ');
      throw new UsageError(`unknown flag --${name} for ${command}; it takes ${known}`);
    }
    if (values.has(name)) throw new UsageError(`--${name} is given twice; give it once`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      // A following flag is not a value: `--from --to x` means --from was left empty.
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        throw new UsageError(`--${name} needs a value (see ${command} --help)`);
      }
      i++;
    }
    if (value.trim() === '') throw new UsageError(`--${name} needs a non-empty value`);
    values.set(name, value);
  }
  return { values, switches };
}

/** The value of a required flag. */
export function required(args: ParsedArgs, name: string, command: string, hint: string): string {
  const value = args.values.get(name);
  if (value === undefined) throw new UsageError(`${command} needs --${name} ${hint}`);
  return value;
}
