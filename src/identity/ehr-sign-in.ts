import { createHash, randomBytes } from 'node:crypto';
import type { SignInLimits } from '../config/options.ts';
import type { HostDirectory, HostUser } from '../host/host-directory.ts';
import type { LoginAttemptsStore } from '../store/login-attempts-store.ts';

/**
 * Stands in for an unknown account. Its hash has the shape and cost of the usual scrypt hashes (N=2^14,
 * r=8, p=1) but random content, so no password matches it.
 */
const DECOY_USER: HostUser = {
  userId: '', loginName: '', displayName: '', isActive: false, email: null, aadTenantId: null, aadObjectId: null, fhirUser: null,
  passwordHash: `scrypt$16384$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`,
};

export type SignInResult =
  | { ok: true; user: HostUser }
  | { ok: false; reason: 'bad-credentials' | 'locked' | 'inactive' };

/**
 * EHR username and password verification with per-account and per-address failure limits (DESIGN §4).
 * Used by the sign-in page and the password grant alike, so both count against the same limits.
 * Every attempt is counted before its password is checked, and one past either limit is refused unchecked:
 * guesses sent at the same moment get no more password checks than the limits allow.
 */
export class EhrSignIn {
  constructor(
    private readonly directory: HostDirectory,
    private readonly attempts: LoginAttemptsStore,
    private readonly limits: SignInLimits,
  ) {}

  async verify(loginName: string, password: string, sourceAddress: string): Promise<SignInResult> {
    const accountKey = `account:${loginName.trim().toLowerCase()}`;
    // Addresses are kept as digests: the table needs to count them, not to know them.
    const addressKey = `address:${createHash('sha256').update(sourceAddress).digest('hex')}`;
    // A key already locked refuses without counting, so a locked address cannot push an account towards its limit.
    if ((await this.attempts.lockedUntil(accountKey)) || (await this.attempts.lockedUntil(addressKey))) {
      return { ok: false, reason: 'locked' };
    }
    const account = await this.attempts.countAttempt(accountKey, this.limits.maxFailuresPerAccount);
    const address = await this.attempts.countAttempt(addressKey, this.limits.maxFailuresPerAddress);
    if (account.refused || address.refused) return { ok: false, reason: 'locked' };
    const user = loginName.trim() ? await this.directory.findUserByLogin(loginName.trim()) : undefined;
    // An unknown name costs a hash check too, so response times do not tell which accounts exist.
    const matches = await this.directory.verifyPassword(user ?? DECOY_USER, password) && user !== undefined;
    if (!user || !matches) {
      const accountLocked = account.failures >= this.limits.maxFailuresPerAccount;
      const addressLocked = address.failures >= this.limits.maxFailuresPerAddress;
      if (accountLocked) await this.attempts.lock(accountKey);
      if (addressLocked) await this.attempts.lock(addressKey);
      return { ok: false, reason: accountLocked || addressLocked ? 'locked' : 'bad-credentials' };
    }
    if (!user.isActive) {
      // The right password of an inactive account is no guess: it counts against neither key.
      await this.attempts.takeBack(accountKey);
      await this.attempts.takeBack(addressKey);
      return { ok: false, reason: 'inactive' };
    }
    await this.attempts.clear(accountKey);
    await this.attempts.takeBack(addressKey);
    return { ok: true, user };
  }
}
