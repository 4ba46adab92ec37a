/**
 * Node palette: every definition grouped by category, filtered by a search box. Drag an entry onto the
 * canvas, or click it (or press Enter on it) to add the node in the middle of the view.
 */
'use client';
import { useReactFlow } from '@xyflow/react';
import { type DragEvent, useMemo, useState } from 'react';
import { categories } from '../../graph-nodes/core/define-node';
import { portTypes } from '../../graph-nodes/core/port-types';
import { categoryTitle, nodeDescription, nodeTitle } from '../../graph-nodes/i18n/node-text';
import { nodeDefinitions } from '../../graph-nodes/registry';
import { useLangValue, useT } from '../_i18n/translate';
import { useEditor } from './store';

export const PALETTE_MIME = 'application/x-kizuki-node';

/** Step diagonally away from `p` until no node sits there, so click-added nodes do not pile up. */
function freeSpot(p: { x: number; y: number }): { x: number; y: number } {
  const nodes = useEditor.getState().nodes;
  const taken = (q: { x: number; y: number }) =>
    nodes.some((n) => Math.abs(n.position.x - q.x) < 200 && Math.abs(n.position.y - q.y) < 120);
  let q = p;
  for (let i = 0; i < 30 && taken(q); i++) q = { x: q.x + 60, y: q.y + 60 };
  return q;
}

export function Palette() {
  const [query, setQuery] = useState('');
  const addNode = useEditor((s) => s.addNode);
  const { screenToFlowPosition } = useReactFlow();
  const lang = useLangValue();
  const t = useT();

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    // Both languages match, so "autoencoder" still finds the node while the UI is in Japanese.
    const text = (d: (typeof nodeDefinitions)[number]) =>
      [d.type, d.title, d.description, nodeTitle(d, lang), nodeDescription(d, lang)].join('\n').toLowerCase();
    const hits = nodeDefinitions.filter((d) => !q || text(d).includes(q));
    return categories.map((c) => ({ category: c, defs: hits.filter((d) => d.category === c) })).filter((g) => g.defs.length > 0);
  }, [query, lang]);

  const addAtCenter = (type: string) => {
    const rect = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const x = rect ? rect.left + rect.width / 2 - 130 : 400;
    const y = rect ? rect.top + rect.height / 2 - 60 : 300;
    addNode(type, freeSpot(screenToFlowPosition({ x, y })));
  };

  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(PALETTE_MIME, type);
    e.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <aside className="palette" aria-label={t('palette.region')} data-testid="palette">
      <input
        type="search"
        className="palette-search"
        placeholder={t('palette.search')}
        aria-label={t('palette.searchLabel')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {groups.length === 0 ? <p className="muted small">{t('palette.noMatch', { query })}</p> : null}
      {groups.map((g) => (
        <section key={g.category} className="palette-group">
          <h3>{categoryTitle(g.category, lang)}</h3>
          <ul>
            {g.defs.map((d) => {
              const color = portTypes[Object.values(d.outputs)[0]?.type ?? 'Metrics'].color;
              return (
                <li key={d.type}>
                  <button
                    type="button"
                    className="palette-item"
                    draggable
                    onDragStart={(e) => onDragStart(e, d.type)}
                    onClick={() => addAtCenter(d.type)}
                    title={nodeDescription(d, lang)}
                    data-testid={`palette-${d.type}`}
                  >
                    <span className="palette-dot" style={{ background: color }} />
                    <span>{nodeTitle(d, lang)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      <p className="palette-tip muted small">{t('palette.tip')}</p>
    </aside>
  );
}
