/** Router behaviour through createCaller on a temporary SQLite file: CRUD, conflicts, links, templates, bad input. */
import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuesOf } from '../errors';
import { createRateLimiter } from '../rate-limit';
import { sampleDoc, type TestServer, testServer } from '../test-helpers/caller';

let srv: TestServer;
beforeEach(() => {
  srv = testServer();
});
afterEach(() => srv.close());

/** The TRPCError a call fails with (fails the test when it succeeds). */
async function failure(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('pipelines', () => {
  it('create, open, save, list, rename, duplicate, trash and restore', async () => {
    const api = srv.caller();
    const doc = sampleDoc();
    const created = await api.pipelines.create({ doc, message: 'first' });
    expect(created.revision).toBe(1);
    expect(created.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const opened = await api.pipelines.open({ key: created.key });
    expect(opened.doc).toEqual(doc);
    expect(opened.headRevision).toBe(1);

    const edited = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'ae' ? { ...n, params: { epochs: 3 } } : n)) };
    const saved = await api.pipelines.save({ key: created.key, baseRevision: 1, doc: edited, auto: true });
    expect(saved.revision).toBe(2);
    expect((await api.pipelines.open({ key: created.key })).doc.nodes.find((n) => n.id === 'ae')?.params).toEqual({ epochs: 3 });

    const renamed = await api.pipelines.rename({ key: created.key, name: 'My AE' });
    expect(renamed.revision).toBe(3);
    const copy = await api.pipelines.duplicate({ key: created.key });
    expect(copy.key).not.toBe(created.key);
    expect((await api.pipelines.open({ key: copy.key })).name).toBe('My AE (copy)');

    let list = await api.pipelines.list({ keys: [created.key, copy.key, 'x'.repeat(43)] });
    expect(list.pipelines.map((p) => p.name).sort()).toEqual(['My AE', 'My AE (copy)']);
    expect(list.unknownKeys).toEqual(['x'.repeat(43)]);

    await api.pipelines.trash({ key: created.key });
    list = await api.pipelines.list({ keys: [created.key] });
    expect(list.pipelines[0]?.deletedAt).toBeGreaterThan(0);
    const inTrash = await failure(api.pipelines.save({ key: created.key, baseRevision: 3, doc }));
    expect(inTrash.code).toBe('PRECONDITION_FAILED');
    expect(inTrash.message).toContain('trash');
    await api.pipelines.restore({ key: created.key });
    expect((await api.pipelines.save({ key: created.key, baseRevision: 3, doc })).revision).toBe(4);
  });

  it('a save on a stale revision is a conflict carrying the head revision, and overwrites nothing', async () => {
    const api = srv.caller();
    const doc = sampleDoc();
    const { key } = await api.pipelines.create({ doc });
    await api.pipelines.save({ key, baseRevision: 1, doc: { ...doc, name: 'tab A' } });
    const err = await failure(api.pipelines.save({ key, baseRevision: 1, doc: { ...doc, name: 'tab B' } }));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('revision 2');
    expect(err.cause).toMatchObject({ headRevision: 2 });
    const head = await api.pipelines.open({ key });
    expect(head.name).toBe('tab A');
    expect(head.headRevision).toBe(2);
  });

  it('history lists revisions newest first; an old one can be read and restored as a new revision', async () => {
    const api = srv.caller();
    const doc = sampleDoc();
    const { key } = await api.pipelines.create({ doc, message: 'start' });
    await api.pipelines.save({ key, baseRevision: 1, doc: { ...doc, name: 'v2' }, message: 'second' });
    await api.pipelines.save({ key, baseRevision: 2, doc: { ...doc, name: 'v3' }, auto: true });
    const h = await api.pipelines.history({ key });
    expect(h.revisions.map((r) => [r.number, r.message, r.auto])).toEqual([
      [3, 'Autosave', true],
      [2, 'second', false],
      [1, 'start', false],
    ]);
    expect((await api.pipelines.revision({ key, number: 2 })).doc.name).toBe('v2');
    const restored = await api.pipelines.restoreRevision({ key, number: 1, baseRevision: 3 });
    expect(restored.revision).toBe(4);
    const head = await api.pipelines.open({ key });
    expect(head.doc).toEqual(doc);
    expect((await api.pipelines.history({ key })).revisions[0]?.message).toBe('Restored revision 1');
    expect((await failure(api.pipelines.revision({ key, number: 99 }))).code).toBe('NOT_FOUND');
  });

  it('malformed input is refused field by field and stores nothing', async () => {
    const api = srv.caller();
    const doc = sampleDoc();
    const bad = {
      ...doc,
      name: '',
      nodes: doc.nodes.map((n) => (n.id === 'ae' ? { ...n, params: { epochs: 0 } } : n)),
    };
    const err = await failure(api.pipelines.create({ doc: bad }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(issuesOf(err.cause)?.map((i) => i.path)).toEqual(['doc.name']);

    const badParams = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'ae' ? { ...n, params: { epochs: 0, codeChannels: 'big' } } : n)) };
    const err2 = await failure(api.pipelines.create({ doc: badParams }));
    const issues = issuesOf(err2.cause) ?? [];
    const aeIndex = doc.nodes.findIndex((n) => n.id === 'ae');
    expect(issues.map((i) => i.path).sort()).toEqual([`doc.nodes.${aeIndex}.params.codeChannels`, `doc.nodes.${aeIndex}.params.epochs`]);
    expect(issues.find((i) => i.path.endsWith('.epochs'))?.message).toMatch(/^ae: /);

    const unknownType = { ...doc, nodes: [{ ...doc.nodes[0]!, type: 'no-such-node' }] };
    const err3 = await failure(api.pipelines.create({ doc: unknownType }));
    expect(issuesOf(err3.cause)).toEqual([{ path: 'doc.nodes.0.type', message: 'unknown node type "no-such-node"' }]);

    // Input-schema failures (not the document) also come back per field.
    const err4 = await failure(api.pipelines.save({ key: 'short', baseRevision: 0, doc }));
    expect(err4.code).toBe('BAD_REQUEST');
    expect(issuesOf(err4.cause)?.map((i) => i.path).sort()).toEqual(['baseRevision', 'key']);

    const count = srv.db.$client.prepare('SELECT count(*) AS n FROM pipelines').get() as { n: number };
    expect(count.n).toBe(0);
  });

  it('an unknown or wrong key is refused without saying which', async () => {
    const api = srv.caller();
    const err = await failure(api.pipelines.open({ key: 'A'.repeat(43) }));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toBe('This edit link is not valid or was revoked.');
  });

  it('writes past the rate limit are refused with TOO_MANY_REQUESTS, per client', async () => {
    const limited = testServer(createRateLimiter({ perMinute: 2, burst: 2 }));
    try {
      const a = limited.caller('1.2.3.4');
      await a.pipelines.create({ doc: sampleDoc() });
      await a.pipelines.create({ doc: sampleDoc() });
      expect((await failure(a.pipelines.create({ doc: sampleDoc() }))).code).toBe('TOO_MANY_REQUESTS');
      // Reads are not limited; another client has its own budget.
      await a.templates.list();
      await limited.caller('5.6.7.8').pipelines.create({ doc: sampleDoc() });
    } finally {
      limited.close();
    }
  });
});

describe('share links', () => {
  it('a view link reads and copies but cannot write through any endpoint', async () => {
    const api = srv.caller();
    const doc = sampleDoc();
    const { key } = await api.pipelines.create({ doc });
    const view = await api.share.createLink({ key, kind: 'view' });
    expect(view.token).not.toBe(key);

    const seen = await api.share.view({ token: view.token });
    expect(seen.doc).toEqual(doc);

    const writes = [
      api.pipelines.save({ key: view.token, baseRevision: 1, doc }),
      api.pipelines.rename({ key: view.token, name: 'hijack' }),
      api.pipelines.trash({ key: view.token }),
      api.pipelines.restore({ key: view.token }),
      api.pipelines.restoreRevision({ key: view.token, number: 1, baseRevision: 1 }),
      api.pipelines.duplicate({ key: view.token }),
      api.share.createLink({ key: view.token, kind: 'edit' }),
      api.share.revoke({ key: view.token, linkId: view.linkId }),
      api.templates.publish({ key: view.token, title: 't' }),
    ];
    for (const w of writes) expect((await failure(w)).code).toBe('FORBIDDEN');
    // Reads meant for the editor are closed too (history, other links).
    expect((await failure(api.pipelines.history({ key: view.token }))).code).toBe('FORBIDDEN');
    expect((await failure(api.share.links({ key: view.token }))).code).toBe('FORBIDDEN');
    expect((await api.pipelines.open({ key })).headRevision).toBe(1);

    const copy = await api.share.copy({ token: view.token });
    const mine = await api.pipelines.open({ key: copy.key });
    expect(mine.name).toBe(`${doc.name} (my copy)`);
    expect(mine.id).not.toBe((await api.pipelines.open({ key })).id);
  });

  it('revoked links stop working; the link in hand cannot revoke itself', async () => {
    const api = srv.caller();
    const { key } = await api.pipelines.create({ doc: sampleDoc() });
    const view = await api.share.createLink({ key, kind: 'view' });
    const edit2 = await api.share.createLink({ key, kind: 'edit' });
    const links = await api.share.links({ key });
    expect(links.map((l) => [l.kind, l.isYours])).toEqual([
      ['edit', true],
      ['view', false],
      ['edit', false],
    ]);
    expect(JSON.stringify(links)).not.toContain(view.token);

    await api.share.revoke({ key, linkId: view.linkId });
    expect((await failure(api.share.view({ token: view.token }))).code).toBe('FORBIDDEN');
    expect((await failure(api.share.copy({ token: view.token }))).code).toBe('FORBIDDEN');

    const own = links.find((l) => l.isYours)!;
    expect((await failure(api.share.revoke({ key, linkId: own.id }))).message).toContain('cannot revoke the edit link you are using');
    // The second edit link can revoke the first.
    await api.share.revoke({ key: edit2.token, linkId: own.id });
    expect((await failure(api.pipelines.open({ key }))).code).toBe('FORBIDDEN');
    expect((await api.pipelines.open({ key: edit2.token })).headRevision).toBe(1);
  });
});

describe('templates', () => {
  it('publish with a locked and a hidden param; using it makes a copy that keeps them', async () => {
    const api = srv.caller();
    const doc = sampleDoc();
    const { key } = await api.pipelines.create({ doc });
    const { templateId } = await api.templates.publish({
      key,
      title: 'Week 3: AE residual',
      notes: '<b>not html</b> try codeChannels',
      locks: { ae: { epochs: 'locked', seed: 'hidden' } },
    });
    expect(templateId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const listed = await api.templates.list();
    expect(listed.map((t) => t.title)).toEqual(['Week 3: AE residual']);
    expect(listed[0]?.notes).toBe('<b>not html</b> try codeChannels');

    const student = await api.templates.use({ templateId });
    const opened = await api.pipelines.open({ key: student.key });
    expect(opened.name).toBe('Week 3: AE residual');
    expect(opened.locks).toEqual({ ae: { epochs: 'locked', seed: 'hidden' } });

    const aeIndex = opened.doc.nodes.findIndex((n) => n.id === 'ae');
    const withParams = (params: Record<string, unknown>) => ({
      ...opened.doc,
      nodes: opened.doc.nodes.map((n) => (n.id === 'ae' ? { ...n, params } : n)),
    });
    // Unlocked params change freely; writing a locked param's default explicitly is no change.
    expect((await api.pipelines.save({ key: student.key, baseRevision: 1, doc: withParams({ codeChannels: 8, epochs: 8 }) })).revision).toBe(2);
    const err = await failure(api.pipelines.save({ key: student.key, baseRevision: 2, doc: withParams({ codeChannels: 8, epochs: 50 }) }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(issuesOf(err.cause)).toEqual([{ path: `doc.nodes.${aeIndex}.params.epochs`, message: 'ae.epochs is locked by the template; keep 8' }]);
    const removed = await failure(api.pipelines.save({ key: student.key, baseRevision: 2, doc: { ...opened.doc, nodes: opened.doc.nodes.filter((n) => n.id !== 'ae') } }));
    expect(issuesOf(removed.cause)?.[0]?.message).toContain('cannot be removed');
  });

  it('locks naming missing nodes or params are refused per field; only the source can unpublish', async () => {
    const api = srv.caller();
    const { key } = await api.pipelines.create({ doc: sampleDoc() });
    const err = await failure(api.templates.publish({ key, title: 'x', locks: { nope: { a: 'locked' }, ae: { colour: 'hidden' } } }));
    expect(issuesOf(err.cause)?.map((i) => i.path)).toEqual(['locks.nope', 'locks.ae.colour']);
    const badMode = await failure(api.templates.publish({ key, title: 'x', locks: { ae: { epochs: 'frozen' as 'locked' } } }));
    expect(issuesOf(badMode.cause)?.[0]?.path).toBe('locks.ae.epochs');

    const { templateId } = await api.templates.publish({ key, title: 'ok' });
    expect((await api.templates.ofPipeline({ key })).map((t) => [t.id, t.title])).toEqual([[templateId, 'ok']]);
    const other = await api.pipelines.create({ doc: sampleDoc() });
    expect(await api.templates.ofPipeline({ key: other.key })).toEqual([]);
    expect((await failure(api.templates.unpublish({ key: other.key, templateId }))).code).toBe('NOT_FOUND');
    await api.templates.unpublish({ key, templateId });
    expect(await api.templates.list()).toEqual([]);
    expect(await api.templates.ofPipeline({ key })).toEqual([]);
    expect((await failure(api.templates.use({ templateId }))).code).toBe('NOT_FOUND');
  });
});
