// History: the command app started on a long history (millions of orders,
// nearly all finished): how long until it is ready, and the memory it then
// holds. The goal is that neither grows with history, only with what can
// still change. Started twice: the first start may build local state, the
// second is the restart an operator lives with.
import { randomUUID } from 'node:crypto';
import { generateHistory } from './history-generator';
import { scratchStateDir, scratchTopics, SpawnedApp, sleep } from './support';

export interface HistoryFigures {
  orders: number;
  finishedOrders: number;
  events: number;
  generateSeconds: number;
  first: { readyMs: number; rssBytes: number };
  restart: { readyMs: number; rssBytes: number };
}

export async function benchHistory(options: { orders: number; log: (line: string) => void }): Promise<HistoryFigures> {
  const suffix = randomUUID().slice(0, 8);
  const topics = { orderEvents: `bench-hist-orders-${suffix}`, inventoryEvents: `bench-hist-inventory-${suffix}` };
  const { producer, drop } = await scratchTopics(Object.values(topics));
  const transactionalId = `bench-history-${suffix}`;
  const state = scratchStateDir('bench-history');
  try {
    options.log(
      `  writing ${options.orders} orders of history into ${topics.orderEvents} / ${topics.inventoryEvents} ...`,
    );
    const started = performance.now();
    const history = await generateHistory(producer, topics, { orders: options.orders }, (orders, events) =>
      options.log(`    ${orders} orders, ${events} events written`),
    );
    const generateSeconds = Math.round((performance.now() - started) / 1000);
    await producer.disconnect();

    const start = async () => {
      const app = await SpawnedApp.start('command', {
        ORDER_EVENTS_TOPIC: topics.orderEvents,
        INVENTORY_EVENTS_TOPIC: topics.inventoryEvents,
        KAFKA_TRANSACTIONAL_ID: transactionalId,
        STATE_DIR: state.dir,
        LOG_LEVEL: 'info',
      });
      try {
        const readyMs = Math.round(await app.ready(900_000));
        // Let the start-up garbage go before reading resident memory.
        await sleep(3000);
        return { readyMs, rssBytes: app.rss() };
      } finally {
        await app.stop();
      }
    };
    options.log(`  starting the command app on ${history.events} events ...`);
    const first = await start();
    options.log(`    ready after ${first.readyMs} ms; restarting it ...`);
    const restart = await start();
    return {
      orders: history.orders,
      finishedOrders: history.finished,
      events: history.events,
      generateSeconds,
      first,
      restart,
    };
  } finally {
    state.remove();
    await drop();
  }
}
