/** Pure graph helpers shared by the editor (connection checks) and the engine. */

/** Whether adding edge source → target would close a cycle (used by the editor before connecting). */
export function wouldCreateCycle(edges: { source: string; target: string }[], source: string, target: string): boolean {
  if (source === target) return true;
  const stack = [target];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === source) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}
