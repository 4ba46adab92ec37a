/** The HTTP entry: body size cap, field issues and conflicts in the JSON error, and no stack traces leaking. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleTrpc, MAX_BODY_BYTES } from './http';
import { sampleDoc } from './test-helpers/caller';

const dir = mkdtempSync(path.join(tmpdir(), 'kizuki-http-'));
beforeAll(() => {
  process.env.KIZUKI_DB = path.join(dir, 'http.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const post = (proc: string, input: unknown) =>
  handleTrpc(new Request(`http://localhost/api/trpc/${proc}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) }));

describe('HTTP handler', () => {
  it('refuses a body over the size limit with 413, before parsing it', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 10);
    const res = await post('pipelines.create', { doc: { ...sampleDoc(), description: big } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toContain('at most 2 MB');
  });

  it('returns field issues for an invalid document and a conflict with the head revision', async () => {
    const bad = await post('pipelines.create', { doc: { ...sampleDoc(), nodes: 'nope' } });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.data.issues).toEqual([{ path: 'doc.nodes', message: expect.any(String) }]);

    const created = (await (await post('pipelines.create', { doc: sampleDoc() })).json()).result.data as { key: string };
    expect((await post('pipelines.save', { key: created.key, baseRevision: 1, doc: sampleDoc() })).status).toBe(200);
    const stale = await post('pipelines.save', { key: created.key, baseRevision: 1, doc: sampleDoc() });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.data.conflict).toEqual({ headRevision: 2 });
  });
});
