/** The history diff: added, removed and changed nodes, changed params (defaults filled), edges, renames. */
import { describe, expect, it } from 'vitest';
import { diffDocs } from '../../app/_editor/storage/diff';
import { getTemplate } from '../../graph-nodes/templates/index';

const base = () => structuredClone(getTemplate('lecture-ae-residual')!.doc);

describe('diffDocs', () => {
  it('an identical document (even moved) is the same', () => {
    const a = base();
    const b = base();
    b.nodes[0]!.position = { x: 999, y: 999 };
    const d = diffDocs(a, b);
    expect(d.same).toBe(true);
    expect(Object.values(d.nodes).every((n) => n.change === 'same')).toBe(true);
  });

  it('names the changed params; writing a default explicitly is no change', () => {
    const a = base();
    const b = base();
    b.nodes.find((n) => n.id === 'ae')!.params = { epochs: 8, codeChannels: 4 };
    const d = diffDocs(a, b);
    expect(d.nodes.ae).toMatchObject({ change: 'changed', changedParams: ['codeChannels'] });
    expect(d.same).toBe(false);
  });

  it('added and removed nodes and edges, and a rename', () => {
    const a = base();
    const b = base();
    b.name = 'renamed';
    b.nodes = b.nodes.filter((n) => n.id !== 'roc');
    b.edges = b.edges.filter((e) => e.target !== 'roc');
    b.nodes.push({ id: 'hist', type: 'histogram', typeVersion: 1, params: {}, position: { x: 0, y: 0 } });
    const d = diffDocs(a, b);
    expect(d.nodes.roc?.change).toBe('removed');
    expect(d.nodes.hist?.change).toBe('added');
    expect(d.edgesRemoved).toEqual(['residual.scores→roc.scores']);
    expect(d.edgesAdded).toEqual([]);
    expect(d.renamed).toBe(true);
  });
});
