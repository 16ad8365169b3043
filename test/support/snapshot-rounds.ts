import type { Admin } from 'kafkajs';

const lastRound = (log: string): number => log.lastIndexOf('snapshot round:');

/** The command app's last snapshot round, in its log, began writing and has not ended. */
export const roundUnfinished = (log: string): boolean => log.startsWith('snapshot round: writing', lastRound(log));

/**
 * Resolves once a snapshot round, after one that completed (a restore's
 * base), has sent records to the snapshot topic and not committed them: the
 * moment to kill the command app so that it leaves the round's transaction
 * open. A round that commits first does not count; the next one is waited for.
 */
export async function untilRoundMidWay(options: {
  /** The command app's log since it started. */
  log: () => string;
  admin: Admin;
  snapshotTopic: string;
  timeoutMs: number;
}): Promise<void> {
  const { log, admin, snapshotTopic } = options;
  // The topic's end counting the records of open transactions.
  const sentUpTo = async () =>
    Number((await admin.fetchTopicOffsets(snapshotTopic, { readUncommitted: true }))[0]?.high ?? 0);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (Date.now() > deadline) throw new Error('no snapshot round was caught with records sent');
    const text = log();
    if (!text.includes('entries written') || !roundUnfinished(text)) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      continue;
    }
    const round = lastRound(text);
    const before = await sentUpTo();
    while (lastRound(log()) === round) if ((await sentUpTo()) > before) return;
  }
}
