import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Real headless Chromium for end-to-end tests, driven by playwright-core (which downloads no browser).
 * The browser is Debian's `chromium` package (`.ci/run` installs it); CHROMIUM_PATH points elsewhere.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why the browser suites cannot run here, or false when they can. Pass it as node:test's `skip` option so
 * a machine without Chromium reports the suite as skipped, with this reason, instead of passing it.
 */
export function chromiumUnavailable(): string | false {
  try {
    accessSync(chromiumPath, constants.X_OK);
    return false;
  } catch {
    return `Chromium not found at ${chromiumPath}: install Debian's chromium package (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`;
  }
}

/**
 * Flags beside the ones playwright-core already passes (headless, a fresh temporary user-data-dir, no
 * first-run UI): no sandbox (containers and root), no GPU, and nothing that reaches the network on its own,
 * so the only traffic is the test's, to 127.0.0.1, directly.
 */
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
  // The tests talk to 127.0.0.1 only: no proxy from the environment may sit in between.
  '--no-proxy-server',
];

/**
 * Launches headless Chromium with a fresh profile. Close it in the suite's `after`. `extraArgs` such as
 * `--ignore-certificate-errors-spki-list=<hash>` trust the dev-idp's one key for this browser alone.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArgs, ...extraArgs],
    timeout: 30_000,
  });
}
