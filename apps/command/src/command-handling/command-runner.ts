import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConcurrencyConflictError, InfrastructureError } from '@of/platform';
import { EventStore, type StreamChange } from '../event-store/event-store';
import { Clock } from './clock';
import type { CommandResponse } from './command-response';
import { IdempotencyStore } from './idempotency.store';
import type { RequestContext } from './request-context';
import { RecoveryState } from './recovery-state';

/** What a handler decided: the events per stream, and how to answer once they are staged. */
export interface Decision {
  changes: StreamChange[];
  respond(): CommandResponse;
}

export function assertIfMatch(context: RequestContext, actualVersion: number): void {
  if (context.ifMatch !== null && context.ifMatch !== actualVersion) {
    throw new ConcurrencyConflictError(context.ifMatch, actualVersion);
  }
}

/**
 * Runs one command: load and decide (synchronously, so no other command can
 * interleave), stage the events, wait until Kafka holds them, answer.
 * With an Idempotency-Key, a retry gets the first answer.
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly idempotency: IdempotencyStore,
    private readonly clock: Clock,
    private readonly recovery: RecoveryState,
  ) {}

  async execute(context: RequestContext, decide: () => Decision): Promise<CommandResponse> {
    if (this.recovery.stopping) {
      throw new InfrastructureError('NOT_READY', 'The command service is shutting down; retry shortly.', 1);
    }
    if (!this.recovery.ready) {
      throw new InfrastructureError('NOT_READY', 'The command service is rebuilding its state from Kafka.', 2);
    }
    const run = async (headers?: (response: CommandResponse) => Record<string, string>): Promise<CommandResponse> => {
      const decision = decide();
      let response: CommandResponse | undefined;
      const respond = (): CommandResponse => (response ??= decision.respond());
      const { durable } = this.store.append(decision.changes, {
        correlationId: context.correlationId,
        causationId: randomUUID(),
        now: this.clock.now(),
        headers: headers && (() => headers(respond())),
      });
      respond(); // answer from the state right after staging, before other commands move on
      await durable;
      return respond();
    };
    return context.idempotency === null
      ? run()
      : this.idempotency.run(context.idempotency.key, context.idempotency.fingerprint, run);
  }
}
