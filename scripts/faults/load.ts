import { ADDRESS, call, GATEWAY, sleep } from '../bench/support';

/** What the gateway answered one command of the load (status 0: no answer at all). */
export interface Answer {
  kind: 'register' | 'ship' | 'cancel' | 'adjust';
  status: number;
  id?: string;
  version?: number;
}

/** A steady mix of commands from a few workers; every answer is kept. */
export class Load {
  readonly answers: Answer[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private readonly open: string[] = [];

  constructor(private readonly products: string[]) {}

  start(workers = 6): void {
    this.running = true;
    this.workers = Array.from({ length: workers }, () => this.work());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    while (this.running) {
      const roll = Math.random();
      const product = this.products[Math.floor(Math.random() * this.products.length)];
      try {
        if (roll < 0.6 || this.open.length === 0) {
          const reply = await call('POST', `${GATEWAY}/api/v1/orders`, {
            customerId: `fault-${Math.floor(Math.random() * 50)}`,
            items: [{ productId: product, quantity: 1 + Math.floor(Math.random() * 3), price: '2.00' }],
            shippingAddress: ADDRESS,
          });
          const id = reply.data.orderId as string | undefined;
          this.answers.push({ kind: 'register', status: reply.status, id, version: reply.data.version as number });
          if (reply.status === 201 && id) this.open.push(id);
        } else if (roll < 0.75) {
          const id = this.open.shift()!;
          const reply = await call('POST', `${GATEWAY}/api/v1/orders/${id}/shipments`, {});
          this.answers.push({ kind: 'ship', status: reply.status, id, version: reply.data.version as number });
        } else if (roll < 0.85) {
          const id = this.open.shift()!;
          const reply = await call('POST', `${GATEWAY}/api/v1/orders/${id}/cancel`, { reason: 'fault suite' });
          this.answers.push({ kind: 'cancel', status: reply.status, id, version: reply.data.version as number });
        } else {
          const reply = await call('POST', `${GATEWAY}/api/v1/inventory/${product}/adjustments`, {
            delta: 5,
            reason: 'restock',
          });
          this.answers.push({
            kind: 'adjust',
            status: reply.status,
            id: product,
            version: reply.data.version as number,
          });
        }
      } catch {
        this.answers.push({ kind: 'register', status: 0 }); // no answer at all (gateway unreachable)
        await sleep(100);
      }
      await sleep(20);
    }
  }
}
