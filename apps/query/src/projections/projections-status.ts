import { deadLetterTopic } from '@of/contracts';
import type { Admin } from 'kafkajs';
import { consumerLag, type PartitionLag, topicSize } from './consumer-lag';
import type { ProjectionRunner } from './projection-runner';

export interface RebuildStatus {
  state: 'idle' | 'running' | 'completed' | 'failed';
  generation: number | null;
  groupId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  eventsApplied: number;
  lag: number | null;
  error: string | null;
  /** Why it was started: asked for, or a generation built by another read-model schema. */
  reason?: 'requested' | 'schema';
}

export const IDLE: RebuildStatus = {
  state: 'idle',
  generation: null,
  groupId: null,
  startedAt: null,
  finishedAt: null,
  eventsApplied: 0,
  lag: null,
  error: null,
};

/** A rebuild that ended: completed (its generation serves) or failed with an error. */
export function finishedRebuild(
  rebuild: RebuildStatus,
  outcome: { eventsApplied: number } | { error: string },
): RebuildStatus {
  const finishedAt = new Date().toISOString();
  if ('error' in outcome) return { ...rebuild, state: 'failed', error: outcome.error, finishedAt };
  return { ...rebuild, state: 'completed', finishedAt, lag: 0, eventsApplied: outcome.eventsApplied };
}

/** What `GET /api/v1/admin/projections` shows: the live generation, its lag per partition, dead letters, any rebuild. */
export async function projectionsStatus(options: {
  admin: Admin;
  topics: string[];
  generation: number;
  schema: number;
  live: ProjectionRunner | null;
  rebuilding: ProjectionRunner | null;
  rebuild: RebuildStatus;
  lastError: string | null;
}): Promise<Record<string, unknown>> {
  const { admin, topics, live, rebuilding, rebuild } = options;
  const partitions: (PartitionLag & { lastEventAt: string | null })[] = (
    await consumerLag(admin, live?.options.groupId ?? '', topics)
  ).map((lag) => ({
    ...lag,
    lastEventAt: live?.activity.get(`${lag.topic}:${lag.partition}`)?.lastEventAt ?? null,
  }));
  const deadLetters: Record<string, number> = {};
  for (const topic of topics) deadLetters[deadLetterTopic(topic)] = await topicSize(admin, deadLetterTopic(topic));
  if (rebuilding && rebuild.state === 'running') {
    rebuild.eventsApplied = rebuilding.eventsApplied;
    rebuild.lag = (await consumerLag(admin, rebuilding.options.groupId, topics)).reduce((sum, p) => sum + p.lag, 0);
  }
  const lastEventAt =
    partitions
      .map((p) => p.lastEventAt)
      .filter((at): at is string => at !== null)
      .sort()
      .pop() ?? null;
  return {
    generation: options.generation,
    schema: options.schema,
    groupId: live?.options.groupId ?? null,
    running: live?.running ?? false,
    lag: partitions.reduce((sum, p) => sum + p.lag, 0),
    lastEventAt,
    partitions,
    deadLetters,
    deadLetterCount: Object.values(deadLetters).reduce((sum, count) => sum + count, 0),
    lastError: options.lastError,
    rebuild,
  };
}
