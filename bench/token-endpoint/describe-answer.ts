import { keepAliveAgent } from '../support/http-load.ts';
import { checkAnswer, preparePool, type GrantName, type Side } from './token-grants.ts';
import { postToken } from './token-load.ts';

/**
 * Sends one request of the grant (untimed) and says what came back: the response members and the access
 * token's format, so the report can state what each side actually issued; then sends it again, which
 * must be refused. Throws when the first is not a proper token response, before anything is timed.
 * (Both servers answer a replay by revoking what the credential issued, or the whole grant for a reused
 * refresh token; pools minted afterwards start from a fresh consent.)
 */
export async function describeAnswer(grant: GrantName, side: Side, concurrency: number): Promise<string> {
  const [prepared] = await preparePool(grant, side, 1, concurrency);
  if (!prepared) throw new Error('no request prepared');
  const agent = keepAliveAgent(1);
  try {
    const answer = await postToken(agent, side.tokenUrl, prepared, 10_000);
    if (answer.status !== 200) throw new Error(`${side.label} ${grant}: ${answer.status} ${answer.text.slice(0, 300)}`);
    const json = JSON.parse(answer.text) as Record<string, unknown>;
    const problem = checkAnswer(grant)(json, prepared);
    if (problem) throw new Error(`${side.label} ${grant}: ${problem}`);
    // Single use: the same request again must be refused (a replayed code, refresh token or assertion jti).
    const replay = await postToken(agent, side.tokenUrl, prepared, 10_000);
    const refused = replay.status === 200 ? 'ACCEPTED (not single use!)' : `${replay.status} ${errorCode(replay.text)}`;
    return `members ${Object.keys(json).sort().join(',')}; access token ${tokenFormat(String(json.access_token))}; `
      + `cache-control ${answer.headers['cache-control']}; same request again: ${refused}`;
  } finally {
    agent.destroy();
  }
}

function errorCode(text: string): string {
  try {
    return String((JSON.parse(text) as { error?: unknown }).error);
  } catch {
    return text.slice(0, 100);
  }
}

function tokenFormat(token: string): string {
  const parts = token.split('.');
  if (parts.length !== 3) return `opaque (${token.length} chars)`;
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  const header = decode(parts[0] as string);
  const payload = decode(parts[1] as string);
  return `JWT alg=${String(header.alg)} typ=${String(header.typ)} aud=${JSON.stringify(payload.aud)} scope="${String(payload.scope)}" ttl=${Number(payload.exp) - Number(payload.iat)}s`;
}
