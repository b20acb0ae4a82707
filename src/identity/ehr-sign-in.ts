import { createHash } from 'node:crypto';
import type { SignInLimits } from '../config/options.ts';
import type { HostDirectory, HostUser } from '../host/host-directory.ts';
import type { LoginAttemptsStore } from '../store/login-attempts-store.ts';

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
    const matches = user ? await this.directory.verifyPassword(user, password) : false;
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
