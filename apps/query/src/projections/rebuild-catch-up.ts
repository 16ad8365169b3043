import type { Admin } from 'kafkajs';
import { consumerLag } from './consumer-lag';
import type { ProjectionRunner } from './projection-runner';
import type { RebuildStatus } from './projections-status';

/** A rebuild that has read nothing for this long has read everything there is. */
const QUIET_MS = 1000;

/**
 * Resolves once a rebuild's consumer has read to the end of its topics with
 * no batch failing (or the app stops), noting its progress on the way.
 * Whenever it is quiet, what it holds behind is written and its offsets
 * committed: its lag reaches 0 only then.
 */
export async function untilCaughtUp(
  runner: ProjectionRunner,
  options: { admin: Admin; topics: string[]; progress: RebuildStatus; stopping: () => boolean },
): Promise<void> {
  while (!options.stopping()) {
    const partitions = await consumerLag(options.admin, runner.options.groupId, options.topics);
    const lag = partitions.reduce((sum, partition) => sum + partition.lag, 0);
    options.progress.lag = lag;
    options.progress.eventsApplied = runner.eventsApplied;
    if (lag === 0 && runner.lastError === null) return;
    if (!runner.busy && performance.now() - runner.lastBatchAt > QUIET_MS) await runner.flushShared();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
