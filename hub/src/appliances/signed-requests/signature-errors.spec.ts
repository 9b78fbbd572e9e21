import { ProvisioningError, type ProvisioningErrorCode } from '@roomtone/provisioning';
import { AppError, httpStatusFor } from '../../common/errors';
import { toSignatureError } from './signature-errors';

describe('toSignatureError', () => {
  const checks: ProvisioningErrorCode[] = [
    'SIGNATURE_MISSING',
    'SIGNATURE_MALFORMED',
    'SIGNATURE_COMPONENT_NOT_COVERED',
    'SIGNATURE_CLOCK_SKEW',
    'SIGNATURE_UNKNOWN_KEY',
    'SIGNATURE_KEY_REVOKED',
    'SIGNATURE_DIGEST_MISMATCH',
    'SIGNATURE_INVALID',
    'SIGNATURE_NONCE_REPLAYED',
  ];

  it.each(checks)('%s becomes a 401 with the same code, the message and details.check', (check) => {
    const error = toSignatureError(new ProvisioningError(check, `failed ${check}`, { reason: 'r' }));
    expect(error).toBeInstanceOf(AppError);
    const app = error as AppError;
    expect([app.code as string, httpStatusFor(app.code), app.message]).toEqual([check, 401, `failed ${check}`]);
    expect(app.details).toEqual({ check, reason: 'r' });
  });

  it('leaves other errors alone (they become 500s, never a misleading 401)', () => {
    const other = new ProvisioningError('TRACK_TRUNCATED', 'x');
    expect(toSignatureError(other)).toBe(other);
    const plain = new Error('db down');
    expect(toSignatureError(plain)).toBe(plain);
  });
});
