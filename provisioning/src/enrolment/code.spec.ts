import { isProvisioningError } from '../errors';
import {
  checkCharacter,
  CROCKFORD_ALPHABET,
  enrolmentUrl,
  generateEnrolmentCode,
  parseEnrolmentCode,
  parseEnrolmentUrl,
} from './code';

const fixedRandom = (bytes: number[]) => () => Uint8Array.from(bytes);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isProvisioningError(error)) return error.code;
    throw error;
  }
  return 'ok';
}

describe('enrolment codes', () => {
  it('generates XXXXX-XXXXXX from injected randomness (12 characters with the hyphen)', () => {
    const code = generateEnrolmentCode(fixedRandom([0, 1, 2, 3, 4, 5, 6, 7, 8, 31]));
    expect(code).toBe('01234-5678ZD');
    expect(checkCharacter('012345678Z')).toBe('D');
    expect(code.length).toBe(12);
  });

  it('accepts any case, no hyphen, spaces, and O/I/L confusions', () => {
    const code = generateEnrolmentCode(fixedRandom([10, 20, 30, 0, 1, 11, 21, 31, 5, 15]));
    const canonical = code.replace('-', '');
    expect(parseEnrolmentCode(code.toLowerCase())).toBe(canonical);
    expect(parseEnrolmentCode(` ${canonical.slice(0, 3)} ${canonical.slice(3)} `)).toBe(canonical);
    expect(parseEnrolmentCode(canonical.replace(/0/g, 'O').replace(/1/g, 'l'))).toBe(canonical);
  });

  it('catches every single-character substitution before any network call', () => {
    const code = generateEnrolmentCode(fixedRandom([3, 1, 4, 1, 5, 9, 2, 6, 5, 3])).replace('-', '');
    for (let i = 0; i < code.length; i++) {
      for (const c of CROCKFORD_ALPHABET) {
        if (c === code[i]) continue;
        const typo = code.slice(0, i) + c + code.slice(i + 1);
        expect(codeOf(() => parseEnrolmentCode(typo))).toBe('ENROLMENT_CODE_CHECK');
      }
    }
  });

  it('catches adjacent transpositions (except the Luhn 0/Z pair)', () => {
    const code = generateEnrolmentCode(fixedRandom([3, 1, 4, 15, 5, 9, 2, 6, 5, 30])).replace('-', '');
    for (let i = 0; i + 1 < code.length; i++) {
      if (code[i] === code[i + 1]) continue;
      const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
      expect(codeOf(() => parseEnrolmentCode(swapped))).toBe('ENROLMENT_CODE_CHECK');
    }
  });

  it('refuses wrong lengths and characters codes never use', () => {
    expect(codeOf(() => parseEnrolmentCode('ABCDE'))).toBe('ENROLMENT_CODE_INVALID');
    expect(codeOf(() => parseEnrolmentCode('ABCDE-FGHJKU'))).toBe('ENROLMENT_CODE_INVALID');
  });

  it('URL/QR payload round-trips', () => {
    const code = generateEnrolmentCode(fixedRandom([7, 7, 7, 7, 7, 7, 7, 7, 7, 7]));
    const url = enrolmentUrl('https://hub.example.com', code);
    expect(url).toBe(`roomtone://enroll?hub=https%3A%2F%2Fhub.example.com&code=${code.replace('-', '')}`);
    expect(parseEnrolmentUrl(url)).toEqual({ hubUrl: 'https://hub.example.com', code: code.replace('-', '') });
    expect(codeOf(() => parseEnrolmentUrl('https://evil/enroll?hub=x&code=y'))).toBe('ENROLMENT_URL_INVALID');
    expect(codeOf(() => parseEnrolmentUrl('roomtone://enroll?hub=ftp%3A%2F%2Fx&code=' + code))).toBe(
      'ENROLMENT_URL_INVALID',
    );
  });
});
