import { ScratchGateway } from '../support/scratch-gateway';

describe('the gateway rate limit on commands', () => {
  let gateway: ScratchGateway;

  beforeAll(async () => {
    gateway = await ScratchGateway.start({ COMMAND_RATE_LIMIT: '1', COMMAND_RATE_BURST: '5' });
  });
  afterAll(() => gateway?.stop());

  it('answers commands over the limit with a problem+json 429 and leaves reads alone', async () => {
    // An empty order is rejected by the app (400) and changes nothing, so the
    // only question is who answers: the app or the limit.
    const commands = await Promise.all(
      Array.from({ length: 30 }, () =>
        fetch(`${gateway.url}/api/v1/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      ),
    );
    const statuses = commands.map((response) => response.status);
    expect(statuses.filter((status) => status === 400).length).toBeGreaterThanOrEqual(5);
    const limited = commands.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(20);
    expect(limited[0].headers.get('content-type')).toContain('application/problem+json');
    expect(limited[0].headers.get('retry-after')).toBe('1');
    expect(await limited[0].json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', success: false });

    const reads = await Promise.all(Array.from({ length: 30 }, () => fetch(`${gateway.url}/api/v1/inventory?limit=1`)));
    expect(reads.map((response) => response.status)).toEqual(Array.from({ length: 30 }, () => 200));
  });
});
