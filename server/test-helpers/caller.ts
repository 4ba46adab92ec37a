/** A router caller on a fresh SQLite file in a temp folder, for server tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTemplate } from '../../graph-nodes/templates/index';
import { type Db, openDatabase } from '../db/open';
import { createRateLimiter, type RateLimiter } from '../rate-limit';
import { appRouter } from '../routers/index';
import { createCallerFactory } from '../trpc';

const factory = createCallerFactory(appRouter);

export type TestServer = {
  db: Db;
  file: string;
  caller(clientId?: string): ReturnType<typeof factory>;
  close(): void;
};

export function testServer(limiter: RateLimiter = createRateLimiter({ perMinute: 100_000, burst: 100_000 })): TestServer {
  const dir = mkdtempSync(path.join(tmpdir(), 'kizuki-db-'));
  const file = path.join(dir, 'test.db');
  const db = openDatabase(file);
  return {
    db,
    file,
    caller: (clientId = 'test') => factory({ db: () => db, clientId, limiter }),
    close: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The default lecture template's document, a realistic valid pipeline. */
export function sampleDoc() {
  const t = getTemplate('lecture-ae-residual');
  if (!t) throw new Error('template lecture-ae-residual missing');
  return structuredClone(t.doc);
}
