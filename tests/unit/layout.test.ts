import { describe, expect, it } from 'vitest';
import { layeredLayout, type LayoutNode } from '../../app/_editor/layout';

const node = (id: string, y = 0, height = 100, width = 200): LayoutNode => ({ id, y, height, width });
const overlaps = (pos: Record<string, { x: number; y: number }>, nodes: LayoutNode[]) =>
  nodes.some((a, i) =>
    nodes.slice(i + 1).some((b) => {
      const pa = pos[a.id]!;
      const pb = pos[b.id]!;
      return pa.x < pb.x + b.width && pb.x < pa.x + a.width && pa.y < pb.y + b.height && pb.y < pa.y + a.height;
    }),
  );

describe('layeredLayout', () => {
  it('puts each node one column right of its furthest upstream node', () => {
    const nodes = [node('roc'), node('data'), node('ae'), node('residual'), node('test')];
    const edges = [
      { source: 'data', target: 'ae' },
      { source: 'ae', target: 'residual' },
      { source: 'test', target: 'residual' },
      { source: 'residual', target: 'roc' },
      { source: 'data', target: 'roc' }, // a skip edge does not pull roc left
    ];
    const pos = layeredLayout(nodes, edges, { x: 50, y: 20 });
    expect(pos.data!.x).toBe(0);
    expect(pos.test!.x).toBe(0);
    expect(pos.ae!.x).toBe(250);
    expect(pos.residual!.x).toBe(500);
    expect(pos.roc!.x).toBe(750);
    expect(overlaps(pos, nodes)).toBe(false);
  });

  it('stacks a column with measured heights and orders it by the upstream nodes (no crossing)', () => {
    const nodes = [node('a', 0, 300), node('b', 500, 50), node('b2', 0, 80), node('a2', 500, 120)];
    // a → a2, b → b2: the second column must follow the first column's order.
    const pos = layeredLayout(nodes, [{ source: 'a', target: 'a2' }, { source: 'b', target: 'b2' }]);
    expect(pos.a!.y).toBeLessThan(pos.b!.y);
    expect(pos.a2!.y).toBeLessThan(pos.b2!.y);
    expect(pos.b!.y - pos.a!.y).toBeGreaterThanOrEqual(300);
    expect(overlaps(pos, nodes)).toBe(false);
  });

  it('handles lone nodes and ignores edges to unknown nodes', () => {
    const pos = layeredLayout([node('x'), node('y')], [{ source: 'x', target: 'ghost' }]);
    expect(Object.keys(pos).sort()).toEqual(['x', 'y']);
    expect(pos.x!.x).toBe(0);
    expect(pos.y!.x).toBe(0);
  });
});
