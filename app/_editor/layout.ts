/**
 * Auto-layout: a layered ("Sugiyama-style") left-to-right drawing of the pipeline DAG. Each node goes to the layer
 * of its longest path from a source, so data flows left to right; within a layer nodes are ordered by the mean
 * position of their upstream nodes (barycenter heuristic, Sugiyama, Tagawa & Toda 1981) to reduce crossings, then
 * stacked with their measured heights so nothing overlaps. Pure: tested without a browser.
 */
export type LayoutNode = { id: string; width: number; height: number; y: number };
export type LayoutEdge = { source: string; target: string };

export function layeredLayout(nodes: LayoutNode[], edges: LayoutEdge[], gap = { x: 90, y: 36 }): Record<string, { x: number; y: number }> {
  const ids = new Set(nodes.map((n) => n.id));
  const preds = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  const succs = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    preds.get(e.target)!.push(e.source);
    succs.get(e.source)!.push(e.target);
  }
  // Longest-path layering in topological order (Kahn); nodes on a cycle, which the editor forbids, go last.
  const layerOf = new Map<string, number>();
  const indeg = new Map(nodes.map((n) => [n.id, preds.get(n.id)!.length]));
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  while (queue.length > 0) {
    const id = queue.shift()!;
    const layer = Math.max(0, ...preds.get(id)!.map((p) => (layerOf.get(p) ?? -1) + 1));
    layerOf.set(id, layer);
    for (const s of succs.get(id)!) {
      indeg.set(s, indeg.get(s)! - 1);
      if (indeg.get(s) === 0) queue.push(s);
    }
  }
  const maxLayer = Math.max(-1, ...layerOf.values());
  for (const n of nodes) if (!layerOf.has(n.id)) layerOf.set(n.id, maxLayer + 1);

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const layers: string[][] = [];
  for (const n of nodes) (layers[layerOf.get(n.id)!] ??= []).push(n.id);
  // Start from the user's vertical order, then two barycenter sweeps (down, then up).
  for (const layer of layers) layer?.sort((a, b) => byId.get(a)!.y - byId.get(b)!.y);
  const order = new Map<string, number>();
  const index = () => layers.forEach((l) => l?.forEach((id, i) => order.set(id, i)));
  index();
  const sweep = (neighbours: Map<string, string[]>, range: number[]) => {
    for (const k of range) {
      const layer = layers[k];
      if (!layer) continue;
      const bary = (id: string) => {
        const ns = neighbours.get(id)!;
        return ns.length === 0 ? order.get(id)! : ns.reduce((s, p) => s + order.get(p)!, 0) / ns.length;
      };
      const keyed = layer.map((id) => ({ id, b: bary(id) }));
      keyed.sort((a, b) => a.b - b.b);
      layers[k] = keyed.map((x) => x.id);
      index();
    }
  };
  const down = layers.map((_, k) => k).slice(1);
  sweep(preds, down);
  sweep(succs, down.map((k) => k - 1).reverse());

  const out: Record<string, { x: number; y: number }> = {};
  let x = 0;
  const heights = layers.map((l) => (l ?? []).reduce((s, id) => s + byId.get(id)!.height, 0) + gap.y * Math.max(0, (l?.length ?? 1) - 1));
  const tallest = Math.max(0, ...heights);
  layers.forEach((layer, k) => {
    if (!layer) return;
    // Centre each column on the tallest one so short chains sit in the middle.
    let y = (tallest - heights[k]!) / 2;
    for (const id of layer) {
      out[id] = { x, y: Math.round(y) };
      y += byId.get(id)!.height + gap.y;
    }
    x += Math.max(...layer.map((id) => byId.get(id)!.width)) + gap.x;
  });
  return out;
}
