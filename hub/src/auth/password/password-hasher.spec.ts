import { PasswordHasher } from './password-hasher';

// Cheap parameters keep the unit suite fast; the argon2id type and the PHC format are what matter here.
const hasher = new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

describe('PasswordHasher', () => {
  it('stores argon2id PHC strings that verify only the right password', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    await expect(hasher.verify(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'Correct horse battery staple')).resolves.toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    expect(await hasher.hash('same password here')).not.toBe(await hasher.hash('same password here'));
  });

  it('answers false, not an exception, for a corrupt stored hash', async () => {
    await expect(hasher.verify('not a hash', 'x')).resolves.toBe(false);
  });

  it('asks for a rehash when stored parameters are weaker than the current ones', async () => {
    const weak = await new PasswordHasher({ memoryCost: 512, timeCost: 1, parallelism: 1 }).hash('pw pw pw pw pw');
    expect(hasher.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('pw pw pw pw pw'))).toBe(false);
  });

  it('spends a verification on unknown accounts and always answers false', async () => {
    await expect(hasher.verifyNobody('anything')).resolves.toBe(false);
  });
});
