import { Injectable } from '@nestjs/common';

/** Whether memory has been rebuilt from Kafka; commands and readiness wait for it. */
@Injectable()
export class RecoveryState {
  ready = false;
  /** Set when shutdown begins: new commands are refused, in-flight ones finish. */
  stopping = false;
  lastReplay: { events: number; skipped: number; durationMs: number; finishedAt: string } | null = null;
  error: string | null = null;
}
