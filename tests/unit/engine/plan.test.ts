import { describe, expect, it } from 'vitest';
import { wouldCreateCycle } from '../../../graph-nodes/core/graph';
import { getTemplate, templates } from '../../../graph-nodes/templates';
import { planPipeline } from '../../../workers/engine/plan';
import { toyDoc, toyLookup } from './toy-nodes';

const chain = () =>
  toyDoc(
    [
      { id: 'score', type: 'toy-score' },
      { id: 'scale', type: 'toy-scale' },
      { id: 'src', type: 'toy-source' },
    ],
    [
      ['src', 'images', 'scale', 'images'],
      ['scale', 'images', 'score', 'images'],
    ],
  );

describe('planPipeline', () => {
  it('sorts topologically regardless of document order', () => {
    const r = planPipeline(chain(), toyLookup);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.plan.order.map((n) => n.id)).toEqual(['src', 'scale', 'score']);
  });

  it('reports a cycle with the nodes on it', () => {
    const doc = toyDoc(
      [
        { id: 'a', type: 'toy-scale' },
        { id: 'b', type: 'toy-scale' },
      ],
      [
        ['a', 'images', 'b', 'images'],
        ['b', 'images', 'a', 'images'],
      ],
    );
    const r = planPipeline(doc, toyLookup);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const cycle = r.issues.find((i) => i.code === 'CYCLE');
      expect(cycle?.message).toContain('a → b');
    }
  });

  it('rejects a type mismatch, a missing input, an unknown type and a bad param — each attributed to its node', () => {
    const doc = toyDoc(
      [
        { id: 'src', type: 'toy-source', params: { value: 99 } },
        { id: 'score', type: 'toy-score' },
        { id: 'scale', type: 'toy-scale' },
        { id: 'ghost', type: 'no-such-type' },
      ],
      [['score', 'scores', 'scale', 'images']],
    );
    const r = planPipeline(doc, toyLookup);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byCode = Object.fromEntries(r.issues.map((i) => [i.code, i]));
    expect(byCode.TYPE_MISMATCH?.message).toMatch(/Cannot connect Scores .* to Image set/);
    expect(r.issues.filter((i) => i.code === 'MISSING_INPUT').map((i) => i.nodeId).sort()).toEqual(['scale', 'score']);
    expect(byCode.UNKNOWN_NODE_TYPE?.message).toContain('no-such-type');
    expect(byCode.INVALID_PARAM).toMatchObject({ nodeId: 'src', field: 'value' });
    expect(byCode.INVALID_PARAM?.message).toContain('"value"');
  });

  it('rejects duplicate ids, two edges into one input, dangling edges and edges to unknown ports', () => {
    const doc = toyDoc(
      [
        { id: 'src', type: 'toy-source' },
        { id: 'src', type: 'toy-source' },
        { id: 'src2', type: 'toy-source' },
        { id: 'scale', type: 'toy-scale' },
      ],
      [
        ['src', 'images', 'scale', 'images'],
        ['src2', 'images', 'scale', 'images'],
        ['nowhere', 'images', 'scale', 'images'],
        ['src', 'pixels', 'scale', 'images'],
      ],
    );
    const r = planPipeline(doc, toyLookup);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const messages = r.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('Two nodes share the id "src"');
    expect(messages).toContain('more than one connection');
    expect(messages).toContain('node "nowhere" does not exist');
    expect(messages).toContain('has no output "pixels"');
  });

  it('migrates old param versions and refuses newer node versions', () => {
    const old = toyDoc([{ id: 'src', type: 'toy-source', typeVersion: 1, params: { v: 3 } }], []);
    const r = planPipeline(old, toyLookup);
    expect(r.ok && r.plan.order[0]!.params.value).toBe(3);
    const future = toyDoc([{ id: 'src', type: 'toy-source', typeVersion: 9 }], []);
    const f = planPipeline(future, toyLookup);
    expect(!f.ok && f.issues[0]!.code).toBe('NEWER_NODE_VERSION');
  });

  it('lists field-level problems for malformed documents', () => {
    const r = planPipeline({ format: 'kizuki.pipeline', schemaVersion: 1, name: '', nodes: [{ id: 'bad id!' }], edges: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.issues.map((i) => i.field);
    expect(fields).toContain('name');
    expect(fields).toContain('nodes.0.id');
    expect(fields).toContain('nodes.0.type');
  });

  it('plans every built-in template', () => {
    for (const t of templates) {
      const r = planPipeline(t.doc);
      expect(r.ok, `${t.id}: ${JSON.stringify(!r.ok && r.issues)}`).toBe(true);
    }
    expect(getTemplate('lecture-ae-residual')?.doc.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining(['train-data', 'test-data', 'roc']),
    );
  });
});

describe('wouldCreateCycle', () => {
  const edges = [
    { source: 'a', target: 'b' },
    { source: 'b', target: 'c' },
  ];
  it('detects back edges and self loops, allows forward edges', () => {
    expect(wouldCreateCycle(edges, 'c', 'a')).toBe(true);
    expect(wouldCreateCycle(edges, 'b', 'b')).toBe(true);
    expect(wouldCreateCycle(edges, 'a', 'c')).toBe(false);
  });
});
