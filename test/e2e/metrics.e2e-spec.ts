import { randomUUID } from 'node:crypto';
import { ADDRESS } from '../support/fixtures';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';
const commandApp = `http://127.0.0.1:${process.env.COMMAND_PORT ?? '3001'}`;
const queryApp = `http://127.0.0.1:${process.env.QUERY_PORT ?? '3002'}`;

/** The value of one sample line of a Prometheus scrape, summed over matching lines. */
function sample(scrape: string, name: string, labels: Record<string, string> = {}): number {
  return scrape
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const scrape = async (base: string) => {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
};

describe('Prometheus metrics', () => {
  it('counts commands, Kafka transactions and events on the command app, and projections on the query app', async () => {
    const product = `e2e-metrics-${randomUUID().slice(0, 8)}`;
    const before = await scrape(commandApp);
    const registered = 'POST /api/v1/orders';
    const put = await fetch(`${gateway}/api/v1/inventory/${product}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 3 }),
    });
    expect(put.status).toBe(200);
    const order = await fetch(`${gateway}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: 'e2e-metrics',
        items: [{ productId: product, quantity: 1, price: '2.00' }],
        shippingAddress: ADDRESS,
      }),
    });
    expect(order.status).toBe(201);
    const { data } = (await order.json()) as { data: { orderId: string } };
    expect((await fetch(`${gateway}/api/v1/orders/${data.orderId}?minVersion=1`)).status).toBe(200);

    const after = await scrape(commandApp);
    const count = (text: string, name: string, labels?: Record<string, string>) => sample(text, name, labels);
    expect(count(after, 'command_duration_seconds_count', { command: registered, status: '201' })).toBe(
      count(before, 'command_duration_seconds_count', { command: registered, status: '201' }) + 1,
    );
    expect(count(after, 'kafka_transaction_duration_seconds_count', { outcome: 'committed' })).toBeGreaterThan(
      count(before, 'kafka_transaction_duration_seconds_count', { outcome: 'committed' }),
    );
    // The registration: OrderRegistered plus one allocation; the stock: one event.
    expect(count(after, 'events_appended_total') - count(before, 'events_appended_total')).toBeGreaterThanOrEqual(3);
    expect(count(after, 'kafka_transaction_commands_count')).toBeGreaterThan(0);

    const query = await scrape(queryApp);
    for (const readModel of ['order_summaries', 'inventory_status', 'fulfillment_queue', 'customer_order_history']) {
      expect(count(query, 'projection_apply_duration_seconds_count', { read_model: readModel })).toBeGreaterThan(0);
    }
    expect(query).toMatch(/^consumer_lag\{.*partition="0".*\} \d+$/m);
    expect(query).toContain('# TYPE dead_letters_total counter');
  });

  it('is not routed by the gateway', async () => {
    const response = await fetch(`${gateway}/metrics`);
    expect(response.status).toBe(404);
  });
});
