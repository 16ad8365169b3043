import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { gatewayUrl } from './gateway-client';

/** Where the browser tests save their screenshots (kept as test artifacts). */
export const ARTIFACTS = join(__dirname, '../../.run/artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface GatewayBrowser {
  browser: Browser;
  page: Page;
  /** Every address outside the gateway the page tried to load (each refused). */
  external: string[];
}

/**
 * Debian's Chromium with one page on the gateway. Nothing may come from the
 * internet: every request to another host is recorded and refused.
 */
export async function openGatewayBrowser(viewport: { width: number; height: number }): Promise<GatewayBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}. Install it (Debian: apt-get install -y chromium; \`make test\` does) or set CHROMIUM_PATH.`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport });
  const external: string[] = [];
  const own = new URL(gatewayUrl()).host;
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.host === own) return route.continue();
    external.push(url.href);
    return route.abort();
  });
  return { browser, page, external };
}
