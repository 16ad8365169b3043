import type { Producer } from 'kafkajs';

/**
 * Connects a transactional producer and fences any earlier producer with its
 * transactional id. kafkajs initializes the transactional id only at the
 * first transaction, and that is what bumps the epoch and aborts a
 * transaction an earlier producer left open (a crash mid-transaction): so
 * one is begun now and ended empty. A producer that fails is disconnected.
 */
export async function connectFencing(producer: Producer): Promise<Producer> {
  try {
    await producer.connect();
    await (await producer.transaction()).abort();
    return producer;
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw error;
  }
}
