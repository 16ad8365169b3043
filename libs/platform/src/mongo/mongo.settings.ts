import { ConfigError, stringFromEnv } from '../config/env';

export interface MongoSettings {
  url: string;
  database: string;
}

export function mongoSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MongoSettings {
  const url = stringFromEnv(env, 'MONGO_URL', 'mongodb://127.0.0.1:27017/');
  if (!/^mongodb(\+srv)?:\/\//.test(url)) {
    throw new ConfigError(`MONGO_URL must be a mongodb:// URL, got ${JSON.stringify(url)}`);
  }
  const database = stringFromEnv(env, 'MONGO_DB', 'order_fulfillment');
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) {
    throw new ConfigError(`MONGO_DB must be 1-63 letters, digits, _ or -, got ${JSON.stringify(database)}`);
  }
  return { url, database };
}
