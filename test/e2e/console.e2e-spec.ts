import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { topicNamesFromEnv } from '@of/contracts';
import type { Browser, Locator, Page } from 'playwright-core';
import { ARTIFACTS, openGatewayBrowser } from '../support/browser';
import { DEAD_LETTER_WAIT_MS, openDeadLetterOf, sendPoisonMessage } from '../support/dead-letters';
import { ADDRESS } from '../support/fixtures';
import { adminHeaders, call, gatewayUrl } from '../support/gateway-client';

const TOKEN = adminHeaders().authorization.replace(/^Bearer /, '');

describe('the operator console in a real browser, through the gateway', () => {
  let browser: Browser;
  let page: Page;
  let external: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ browser, page, external } = await openGatewayBrowser({ width: 1280, height: 1000 }));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60000);
  afterAll(async () => {
    await browser?.close();
  });

  it('asks for the token once and refuses a wrong one', async () => {
    await page.goto(`${gatewayUrl()}/console`);
    await page.fill('#admin-token', 'not-the-token');
    await page.click('#login button[type=submit]');
    await page.locator('#token-status .problem').waitFor();
    expect(await page.textContent('#token-status')).toContain('401');

    await page.fill('#admin-token', TOKEN);
    await page.click('#login button[type=submit]');
    await page.locator('#token-status', { hasText: 'Token accepted' }).waitFor();
    // Kept in the page only: nothing in storage, cookies or the address.
    expect(await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]')).toEqual([0, 0, '']);
    expect(page.url()).not.toContain(TOKEN);
  });

  it('finds an order and shows its events as a timeline, with the state after each', async () => {
    const product = `e2e-console-${randomUUID().slice(0, 8)}`;
    await call('PUT', `/api/v1/inventory/${product}`, { quantity: 5 });
    const registered = await call('POST', '/api/v1/orders', {
      customerId: 'e2e-console',
      items: [{ productId: product, quantity: 2, price: '3.00' }],
      shippingAddress: ADDRESS,
    });
    const orderId = registered.body.data?.orderId as string;
    await call('POST', `/api/v1/orders/${orderId}/cancel`, { reason: 'console test' });

    await page.click('nav[role=tablist] button:has-text("Aggregates")');
    await page.fill('#aggregate-id', orderId);
    await page.click('#aggregate button[type=submit]');
    const events = page.locator('#aggregate-result li.event');
    await events.nth(1).waitFor();
    expect(await events.count()).toBe(2);
    expect(await events.nth(0).textContent()).toContain('v2 OrderCancelled');
    expect(await events.nth(1).textContent()).toContain('v1 OrderCreated');
    expect(await events.nth(1).locator('.ids').textContent()).toContain(registered.headers.get('x-correlation-id')!);
    // The state after version 1 (registered) and after version 2 (cancelled).
    await page.locator('#aggregate-result li.event .state details').nth(1).waitFor();
    expect(await events.nth(1).locator('.state pre').textContent()).toContain('"REGISTERED"');
    expect(await events.nth(0).locator('.state pre').textContent()).toContain('"CANCELLED"');
    await page.screenshot({ path: join(ARTIFACTS, 'console-aggregate.png'), fullPage: true });
  });

  it('shows the projections: generation, position and lag per partition', async () => {
    await page.click('nav[role=tablist] button:has-text("Projections")');
    await page.locator('#partitions tbody tr').first().waitFor();
    expect(await page.textContent('#projections .summary')).toMatch(/Generation \d+/);
    const topics = topicNamesFromEnv();
    expect(await page.textContent('#partitions')).toContain(topics.orderEvents);
    expect(await page.isVisible('#start-rebuild')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'console-projections.png'), fullPage: true });
  });

  it(
    'retries a dead letter, shows why it still fails, then discards it',
    async () => {
      const key = `e2e-console-poison-${randomUUID().slice(0, 8)}`;
      const letter = await openDeadLetterOf(await sendPoisonMessage(key));

      await page.click('nav[role=tablist] button:has-text("Dead letters")');
      const row = await deadLetterRow(page, String(letter.id));
      expect(await row.textContent()).toContain('MALFORMED_ENVELOPE');
      await row.locator('button.retry').click();
      await page.locator('#dead-letter-message', { hasText: 'still fails' }).waitFor();
      await page.locator(`#dead-letters-table tr[data-id="${String(letter.id)}"] .problem`).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'console-dead-letters.png'), fullPage: true });

      page.once('dialog', (dialog) => void dialog.accept('console e2e test message'));
      await page.locator(`#dead-letters-table tr[data-id="${String(letter.id)}"] button.discard`).click();
      await page.locator('#dead-letter-message', { hasText: 'discarded' }).waitFor();
      const after = await call('GET', `/api/v1/admin/dead-letters/${String(letter.id)}`, undefined, adminHeaders());
      expect(after.body.data).toMatchObject({ status: 'DISCARDED', discardReason: 'console e2e test message' });
    },
    DEAD_LETTER_WAIT_MS + 30000,
  );

  it('loaded nothing from the internet and raised no script error', () => {
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** The letter's row in the console's list, oldest first: loads more pages, as an operator would, until it shows. */
async function deadLetterRow(page: Page, id: string): Promise<Locator> {
  const row = page.locator(`#dead-letters-table tr[data-id="${id}"]`);
  const more = page.locator('#dead-letters-more');
  await page.locator('#dead-letters-table tbody tr').first().waitFor();
  while (!(await row.isVisible())) {
    if (!(await more.isVisible())) throw new Error(`dead letter ${id} is not in the console's list`);
    const shown = await page.locator('#dead-letters-table tbody tr').count();
    await more.click();
    await page.locator(`#dead-letters-table tbody tr >> nth=${shown}`).waitFor();
  }
  return row;
}
