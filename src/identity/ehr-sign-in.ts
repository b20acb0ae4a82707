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
 * A locked account or address is refused before the password is even checked.
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
    if ((await this.attempts.lockedUntil(accountKey)) || (await this.attempts.lockedUntil(addressKey))) {
      return { ok: false, reason: 'locked' };
    }
    const user = loginName.trim() ? await this.directory.findUserByLogin(loginName.trim()) : undefined;
    // An unknown name costs a hash check too, so response times do not tell which accounts exist.
    const matches = await this.directory.verifyPassword(user ?? DECOY_USER, password) && user !== undefined;
    if (!user || !matches) {
      const accountLocked = await this.attempts.recordFailure(accountKey, this.limits.maxFailuresPerAccount);
      const addressLocked = await this.attempts.recordFailure(addressKey, this.limits.maxFailuresPerAddress);
      return { ok: false, reason: accountLocked || addressLocked ? 'locked' : 'bad-credentials' };
    }
    if (!user.isActive) return { ok: false, reason: 'inactive' };
    await this.attempts.clear(accountKey);
    return { ok: true, user };
  }
}
