/**
 * No acknowledged save is lost: a real storage server (server/serve.ts, same routers and HTTP handler as the
 * app) takes a stream of concurrent saves and is killed with SIGKILL while requests are in flight. Reopening
 * the database must show every revision the server acknowledged, with the document that was sent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/open';
import type { AppRouter } from './routers/index';
import { readRevision } from './store';
import { sampleDoc } from './test-helpers/caller';

const root = path.resolve(__dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'kizuki-kill-'));
const file = path.join(dir, 'kill.db');
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startServer(): Promise<number> {
  child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'server/serve.ts')], {
    cwd: root,
    env: { ...process.env, KIZUKI_DB: file, PORT: '0', KIZUKI_WRITES_PER_MINUTE: '100000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child!.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
}

describe('durability', () => {
  it('SIGKILL during a stream of saves loses no acknowledged revision', async () => {
    const port = await startServer();
    const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `http://127.0.0.1:${port}/api/trpc` })] });
    const STREAMS = 4;
    const KILL_AFTER = 60;
    const acked: { key: string; id: string; revision: number; name: string }[] = [];
    const created = await Promise.all(Array.from({ length: STREAMS }, (_, s) => api.pipelines.create.mutate({ doc: { ...sampleDoc(), name: `stream ${s}` } })));

    let killed = false;
    const stream = async (s: number) => {
      const { key, id } = created[s]!;
      let base = 1;
      for (let i = 0; !killed; i++) {
        const name = `stream ${s} save ${i}`;
        try {
          const { revision } = await api.pipelines.save.mutate({ key, baseRevision: base, doc: { ...sampleDoc(), name }, auto: true });
          acked.push({ key, id, revision, name });
          base = revision;
          if (acked.length >= KILL_AFTER && !killed) {
            // Kill while the other streams still have saves in flight.
            killed = true;
            child!.kill('SIGKILL');
          }
        } catch {
          return; // the connection died with the server
        }
      }
    };
    await Promise.all(Array.from({ length: STREAMS }, (_, s) => stream(s)));
    await new Promise<void>((resolve) => (child!.exitCode !== null || child!.signalCode !== null ? resolve() : child!.once('exit', () => resolve())));
    expect(child!.signalCode).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const db = openDatabase(file);
    try {
      expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const a of acked) expect(readRevision(db, a.id, a.revision).doc.name).toBe(a.name);
      // Heads never point behind what was acknowledged.
      for (const c of created) {
        const mine = acked.filter((a) => a.id === c.id);
        const head = (db.$client.prepare('SELECT head_revision AS h FROM pipelines WHERE id = ?').get(c.id) as { h: number }).h;
        expect(head).toBeGreaterThanOrEqual(Math.max(1, ...mine.map((a) => a.revision)));
      }
    } finally {
      db.$client.close();
    }
  });
});
