import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { type CliCommand, requireOption, UsageError } from '../../cli-kit';
import { systemClock } from '../../clock';
import { fromBase64Url, toBase64Url } from '../../encoding';
import { ProvisioningError } from '../../errors';
import { writeFileAtomic } from '../../keys/atomic-write';
import { createKeystore, enrolledKeystore, type Keystore, saveKeystore } from '../../keys/keystore';
import { loadSodium } from '../../sodium/load';

/**
 * `bundle --venue <id> --count N --out <dir> --hub <url> --token <token>`: factory provisioning. Keys are made
 * here, only public keys go to the hub, and keystores are written only after the hub registered them all.
 */
export const bundleCommand: CliCommand = {
  name: 'bundle',
  summary: 'make N enrolled keystores for imaging and register them with the hub',
  usage: [
    'usage: roomtone-provision bundle --venue <venue id> --count <n> --out <dir> --hub <url> --token <api token>',
    '',
    'Generates n appliance keystores, registers their public keys with the hub',
    '(POST <hub>/api/venues/<venue>/appliances/bundle, see provisioning/README.md), and writes one keystore per',
    'appliance to <dir>/<appliance id>.keystore.json (mode 0600) plus bundle.json (public facts only).',
    'Private keys never leave this machine. If the hub cannot be reached or refuses, nothing is written.',
    '  --hub, --token  default to $ROOMTONE_HUB_URL and $ROOMTONE_API_TOKEN',
  ].join('\n'),
  options: {
    venue: { type: 'string' },
    count: { type: 'string' },
    out: { type: 'string' },
    hub: { type: 'string' },
    token: { type: 'string' },
  },
  async run(values, io) {
    const venue = requireOption(values, 'venue');
    const countText = requireOption(values, 'count');
    const out = requireOption(values, 'out');
    const hub = (typeof values.hub === 'string' ? values.hub : process.env.ROOMTONE_HUB_URL) ?? '';
    const token = (typeof values.token === 'string' ? values.token : process.env.ROOMTONE_API_TOKEN) ?? '';
    if (!/^\d{1,4}$/.test(countText) || Number(countText) < 1 || Number(countText) > 1000)
      throw new UsageError('--count must be an integer from 1 to 1000');
    if (hub === '') throw new UsageError('--hub is required (the hub registers the appliances)');
    if (token === '') throw new UsageError('--token is required (an installer or operator API token)');
    let hubUrl: URL;
    try {
      hubUrl = new URL(hub);
    } catch {
      throw new UsageError(`--hub ${hub} is not a URL`);
    }
    await assertEmptyOrAbsent(out);
    const sodium = await loadSodium();
    const now = new Date(systemClock.now());
    const fresh = Array.from({ length: Number(countText) }, () => createKeystore(sodium, now));
    const registered = await register(hubUrl, venue, token, fresh);
    const base = hubUrl.toString().replace(/\/$/, '');
    const keystores = fresh.map((ks, i) =>
      enrolledKeystore(ks, { applianceId: registered.ids[i], hubUrl: base, hubPublicKey: registered.hubPublicKey }),
    );
    await writeBundle(out, venue, base, keystores);
    io.stdout(`wrote ${keystores.length} keystores for venue ${venue} to ${out}`);
    return 0;
  },
};

async function assertEmptyOrAbsent(dir: string): Promise<void> {
  const entries = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) throw new UsageError(`--out ${dir} is not empty: give a new or empty directory`);
}

async function register(
  hub: URL,
  venue: string,
  token: string,
  keystores: Keystore[],
): Promise<{ ids: string[]; hubPublicKey: Uint8Array }> {
  const url = new URL(
    `api/venues/${encodeURIComponent(venue)}/appliances/bundle`,
    hub.toString().endsWith('/') ? hub : new URL(`${hub.toString()}/`),
  );
  const body = {
    appliances: keystores.map((ks) => ({
      publicKeys: {
        signing: toBase64Url(ks.keys.signing.publicKey),
        encryption: toBase64Url(ks.keys.encryption.publicKey),
      },
    })),
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = networkCause(error);
    throw new ProvisioningError(
      'HUB_UNREACHABLE',
      `cannot reach the hub at ${hub.toString()} (${cause}): check --hub and the network; nothing was written`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    let reason = text.slice(0, 200).replace(/\s+/g, ' ');
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') reason = parsed.message;
    } catch {
      // not JSON: keep the text
    }
    throw new ProvisioningError(
      'HUB_REFUSED',
      `hub refused the bundle (HTTP ${response.status}: ${reason}); nothing was written`,
    );
  }
  const bad = () =>
    new ProvisioningError(
      'HUB_RESPONSE_INVALID',
      'hub answered the bundle request with an unexpected body: check that --hub is a Roomtone hub; nothing was written',
    );
  let parsed: { appliances?: { id?: unknown }[]; hubPublicKey?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw bad();
  }
  const hubPublicKey = fromBase64Url(parsed.hubPublicKey, 32);
  const ids = Array.isArray(parsed.appliances) ? parsed.appliances.map((a) => a?.id) : [];
  if (
    !hubPublicKey ||
    ids.length !== keystores.length ||
    !ids.every((id): id is string => typeof id === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(id))
  )
    throw bad();
  if (new Set(ids).size !== ids.length) throw bad();
  return { ids, hubPublicKey };
}

async function writeBundle(out: string, venue: string, hubUrl: string, keystores: Keystore[]): Promise<void> {
  await fs.mkdir(out, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  try {
    for (const ks of keystores) {
      const path = join(out, `${ks.applianceId}.keystore.json`);
      await saveKeystore(path, ks);
      written.push(path);
    }
    const manifest = {
      venueId: venue,
      hubUrl,
      appliances: keystores.map((ks) => ({
        id: ks.applianceId,
        keystore: `${ks.applianceId}.keystore.json`,
        signing: toBase64Url(ks.keys.signing.publicKey),
        encryption: toBase64Url(ks.keys.encryption.publicKey),
      })),
    };
    await saveKeystoreManifest(join(out, 'bundle.json'), manifest);
  } catch (error) {
    await Promise.all(written.map((p) => fs.rm(p, { force: true })));
    throw error;
  }
}

async function saveKeystoreManifest(path: string, manifest: object): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
}

/** The most specific reason fetch gives for a failed connection (ECONNREFUSED, ENOTFOUND, TimeoutError...). */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[]; message?: unknown } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (typeof code === 'string') return code;
  if (error instanceof Error && error.name !== 'TypeError') return error.name;
  return typeof cause?.message === 'string' ? cause.message : 'network error';
}
