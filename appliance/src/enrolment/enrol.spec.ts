import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNativeSodium, isProvisioningError } from '@roomtone/provisioning';
import { enrol } from './enrol';
import { HubRefusal, refusalFrom } from './hub-refusal';
import { DEFAULT_KEYSTORE_PATH, keystorePath } from './keystore-path';

const sodium = createNativeSodium();
const clock = { now: () => Date.UTC(2026, 10, 24, 9) };

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('enrol (device side)', () => {
  it('a typo in the code fails before any network call', async () => {
    const fetch = jest.fn();
    const dir = mkdtempSync(join(tmpdir(), 'enrol-'));
    const error = await failure(
      enrol({ hubUrl: 'http://hub', code: '01234-5678ZE', keystorePath: join(dir, 'k.json'), sodium, clock, fetch }),
    );
    expect(isProvisioningError(error, 'ENROLMENT_CODE_CHECK')).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('an existing keystore is never replaced, and that is checked before any network call', async () => {
    const fetch = jest.fn();
    const dir = mkdtempSync(join(tmpdir(), 'enrol-'));
    writeFileSync(join(dir, 'k.json'), '{}');
    const error = await failure(
      enrol({ hubUrl: 'http://hub', code: '01234-5678ZD', keystorePath: join(dir, 'k.json'), sodium, clock, fetch }),
    );
    expect(isProvisioningError(error, 'KEYSTORE_EXISTS')).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("a hub refusal carries the hub's code and message on one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'enrol-'));
    const body = JSON.stringify({ code: 'ENROLMENT_CODE_EXPIRED', message: 'this enrolment code expired at X' });
    const fetch = jest.fn(() => Promise.resolve(new Response(body, { status: 410 })));
    const error = await failure(
      enrol({ hubUrl: 'http://hub/', code: '01234-5678ZD', keystorePath: join(dir, 'k.json'), sodium, clock, fetch }),
    );
    expect(error).toBeInstanceOf(HubRefusal);
    expect((error as HubRefusal).message).toBe(
      'hub refused: this enrolment code expired at X [ENROLMENT_CODE_EXPIRED]',
    );
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toBe('http://hub/appliances/enrol');
  });
});

describe('keystorePath and refusalFrom', () => {
  it('--keystore wins over ROOMTONE_KEYSTORE, which wins over the documented default', () => {
    expect(keystorePath('/a.json', { ROOMTONE_KEYSTORE: '/b.json' })).toBe('/a.json');
    expect(keystorePath(undefined, { ROOMTONE_KEYSTORE: '/b.json' })).toBe('/b.json');
    expect(keystorePath(undefined, {})).toBe(DEFAULT_KEYSTORE_PATH);
    expect(DEFAULT_KEYSTORE_PATH).toBe('/var/lib/roomtone/keystore.json');
  });

  it('a non-hub answer says to check the URL', () => {
    expect(refusalFrom(502, '<html>Bad gateway</html>').message).toBe(
      'hub answered HTTP 502 (<html>Bad gateway</html>): check the hub URL [HTTP_502]',
    );
  });
});
