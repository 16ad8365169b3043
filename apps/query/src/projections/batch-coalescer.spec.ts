import { BatchCoalescer } from './batch-coalescer';
import type { ConsumedEvent } from './parsed-event';

function event(offset: string): ConsumedEvent {
  return { topic: 't', partition: 0, offset, key: null, value: null, headers: {}, envelope: null, problem: null };
}

describe('BatchCoalescer', () => {
  it('merges the batches handed over together, and applies one submitted alone on its own', async () => {
    const applied: string[][] = [];
    const coalescer = new BatchCoalescer(async (events) => {
      applied.push(events.map((e) => e.offset));
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { deadLetters: [], durable: Promise.resolve() };
    });
    const first = [coalescer.submit([event('1')]), coalescer.submit([event('2')])];
    await new Promise((resolve) => setImmediate(resolve)); // the first merged apply is running
    const later = [coalescer.submit([event('3')]), coalescer.submitAlone([event('r')]), coalescer.submit([event('4')])];
    await Promise.all([...first, ...later]);
    expect(applied).toEqual([['1', '2'], ['r'], ['3', '4']]);
  });

  it('rejects only the caller of an apply that fails', async () => {
    const coalescer = new BatchCoalescer((events) =>
      events[0].offset === 'r'
        ? Promise.reject(new Error('down'))
        : Promise.resolve({ deadLetters: [], durable: Promise.resolve() }),
    );
    await expect(coalescer.submitAlone([event('r')])).rejects.toThrow('down');
    await expect(coalescer.submit([event('1')])).resolves.toMatchObject({ deadLetters: [] });
  });
});
