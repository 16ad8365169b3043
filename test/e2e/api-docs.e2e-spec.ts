import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, openGatewayBrowser } from '../support/browser';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';

/** The operations Swagger UI shows, as "METHOD path". */
async function operations(page: Page): Promise<string[]> {
  await page.locator('.opblock').first().waitFor({ timeout: 30000 });
  const found: string[] = [];
  for (const block of await page.locator('.opblock-summary').all()) {
    const method = await block.locator('.opblock-summary-method').textContent();
    const path = await block.locator('.opblock-summary-path').getAttribute('data-path');
    found.push(`${method ?? ''} ${path ?? ''}`);
  }
  return found;
}

describe('API docs in a real browser, through the gateway', () => {
  let browser: Browser;
  let page: Page;
  let external: string[] = [];

  beforeAll(async () => {
    ({ browser, page, external } = await openGatewayBrowser({ width: 1280, height: 1600 }));
  }, 60000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the operations of the command API, then of the query API from the selector', async () => {
    await page.goto(`${gateway}/api-docs`);
    const commandOps = await operations(page);
    expect(commandOps).toEqual(
      expect.arrayContaining([
        'POST /api/v1/orders',
        'POST /api/v1/orders/{orderId}/cancel',
        'PUT /api/v1/inventory/{productId}',
      ]),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'api-docs-command.png'), fullPage: false });

    await page.locator('.topbar select').selectOption({ label: 'Query API' });
    await page.locator('.opblock-summary-path[data-path="/api/v1/fulfillment/queue"]').waitFor({ timeout: 30000 });
    const queryOps = await operations(page);
    expect(queryOps).toEqual(
      expect.arrayContaining([
        'GET /api/v1/orders/{orderId}',
        'GET /api/v1/fulfillment/queue',
        'GET /api/v1/customers/{customerId}/orders',
      ]),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'api-docs-query.png'), fullPage: false });
    expect(external).toEqual([]);
  });

  it('renders ReDoc for each API', async () => {
    for (const api of ['command', 'query']) {
      await page.goto(`${gateway}/redoc?api=${api}`);
      await page.locator('.api-content h1').first().waitFor({ timeout: 30000 });
      const title = await page.locator('.api-content h1').first().textContent();
      expect(title).toContain(api === 'command' ? 'commands' : 'queries');
      await page.screenshot({ path: join(ARTIFACTS, `redoc-${api}.png`) });
    }
    expect(external).toEqual([]);
  });
});
