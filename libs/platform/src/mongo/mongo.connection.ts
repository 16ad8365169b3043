import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Db, MongoClient } from 'mongodb';
import type { MongoSettings } from './mongo.settings';

/** One pooled MongoDB client per process; the driver connects on first use and reconnects by itself. */
@Injectable()
export class MongoConnection implements OnApplicationShutdown {
  readonly client: MongoClient;
  readonly db: Db;

  constructor(readonly settings: MongoSettings) {
    this.client = new MongoClient(settings.url, {
      serverSelectionTimeoutMS: 2000,
      connectTimeoutMS: 2000,
      maxPoolSize: 20,
      // The read store holds only what the projections wrote: strings the
      // driver encoded from JavaScript, so always valid UTF-8. Checking every
      // string of every reply again, character by character, was the largest
      // single cost of decoding a page of packed documents.
      enableUtf8Validation: false,
    });
    this.db = this.client.db(settings.database);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
