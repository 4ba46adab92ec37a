/**
 * "Find a node" (Ctrl+K): type part of a node's label, title (either language), type or id; ↑/↓ choose, Enter
 * selects it, centres the canvas on it and moves the keyboard focus to it, so large pipelines can be walked
 * without a mouse. The palette's search finds node *types* to add; this one finds nodes already placed.
 */
'use client';
import { useReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { nodeTitle } from '../../graph-nodes/i18n/node-text';
import { getDefinition } from '../../graph-nodes/registry';
import { useLangValue, useT } from '../_i18n/translate';
import type { AppNode } from './doc';
import { Modal } from './modal';
import { useEditor } from './store';

/** Every text a user might know the node by, lower-cased. */
function haystack(n: AppNode): string {
  const def = getDefinition(n.data.type);
  const titles = def ? [nodeTitle(def, 'en'), nodeTitle(def, 'ja')] : [];
  return [n.data.label ?? '', n.id, n.data.type, ...titles].join('\n').toLowerCase();
}

export function matchNodes(nodes: readonly AppNode[], query: string): AppNode[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return nodes.filter((n) => {
    const text = haystack(n);
    return words.every((w) => text.includes(w));
  });
}

/** Selects one node (only that one), centres it and focuses it for the keyboard. */
export function useRevealNode() {
  const { fitView } = useReactFlow();
  return (id: string) => {
    const { nodes, onNodesChange } = useEditor.getState();
    onNodesChange(nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: n.id === id })));
    void fitView({ nodes: [{ id }], maxZoom: 1, duration: 200 });
    // React Flow renders each node as a focusable wrapper; focusing it lets Delete, arrows and Ctrl+C act on it.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)?.focus());
  };
}

export function NodeSearch({ onClose }: { onClose(): void }) {
  const nodes = useEditor((s) => s.nodes);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const lang = useLangValue();
  const t = useT();
  const reveal = useRevealNode();
  const found = useMemo(() => matchNodes(nodes, query), [nodes, query]);
  const pick = (n: AppNode | undefined) => {
    if (!n) return;
    onClose();
    reveal(n.id);
  };

  return (
    <Modal labelledBy="find-title" testId="node-search" onClose={onClose}>
      <h2 id="find-title">{t('find.open')}</h2>
      <input
        type="search"
        className="find-input"
        autoFocus
        value={query}
        placeholder={t('find.placeholder')}
        aria-label={t('find.open')}
        aria-controls="find-results"
        aria-activedescendant={found[active] ? `find-${found[active].id}` : undefined}
        data-testid="node-search-input"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, found.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') pick(found[active]);
          else return;
          e.preventDefault();
        }}
      />
      <p className="help">{t('find.hint')}</p>
      {found.length === 0 ? (
        <p className="muted" role="status">
          {t('find.none', { query })}
        </p>
      ) : (
        <ul id="find-results" className="find-results" role="listbox" aria-label={t('find.open')}>
          {found.map((n, i) => {
            const def = getDefinition(n.data.type);
            return (
              <li
                key={n.id}
                id={`find-${n.id}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'find-active' : undefined}
                data-testid={`find-${n.id}`}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(n)}
              >
                <strong>{n.data.label || (def ? nodeTitle(def, lang) : n.data.type)}</strong> <code>{n.id}</code>
              </li>
            );
          })}
        </ul>
      )}
    </Modal>
  );
}
