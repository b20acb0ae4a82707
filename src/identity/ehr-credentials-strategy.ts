import type { Request } from 'express';
import { Strategy } from 'passport';
import type { EhrSignIn } from './ehr-sign-in.ts';

/**
 * Passport strategy for the EHR's own username and password. Like every strategy it only reports
 * success, failure or error; the route decides what the browser sees.
 */
export class EhrCredentialsStrategy extends Strategy {
  override name = 'ehr-credentials';

  constructor(private readonly signIn: EhrSignIn) {
    super();
  }

  override authenticate(req: Request): void {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!username || !password) {
      this.fail({ reason: 'bad-credentials' }, 401);
      return;
    }
    this.signIn.verify(username, password, req.ip ?? req.socket.remoteAddress ?? 'unknown').then((result) => {
      if (result.ok) this.success(result.user);
      else this.fail({ reason: result.reason }, 401);
    }, (error: unknown) => this.error(error as Error));
  }
}
