import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A local CA and the server certificate it signed for 127.0.0.1 and localhost. */
export interface DevCertificate {
  /** PEM of the CA: what a client passes as its trusted CA. */
  ca: string;
  cert: string;
  key: string;
  /** base64 SHA-256 of the server key's SPKI, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiSha256: string;
}

/**
 * Makes (or, with `directory`, reuses) a throwaway CA and a 127.0.0.1/localhost server certificate with the
 * openssl command. Nothing is installed anywhere: each client that talks to the dev-idp is given the CA.
 */
export function devCertificate(directory?: string): DevCertificate {
  const dir = directory ?? mkdtempSync(path.join(tmpdir(), 'dev-idp-'));
  const file = (name: string) => path.join(dir, name);
  try {
    if (!existsSync(file('cert.pem')) || !existsSync(file('ca.pem')) || !existsSync(file('key.pem'))) generate(dir);
    const cert = readFileSync(file('cert.pem'), 'utf8');
    const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    return { ca: readFileSync(file('ca.pem'), 'utf8'), cert, key: readFileSync(file('key.pem'), 'utf8'), spkiSha256: createHash('sha256').update(spki).digest('base64') };
  } finally {
    if (!directory) rmSync(dir, { recursive: true, force: true });
  }
}

function generate(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '365', '-subj', '/CN=dev-idp local CA (demo only)',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'cert.pem', '-days', '365', '-extfile', 'server.ext');
}
