/**
 * The selected node's connections as form fields: one select per input listing every output that may feed it
 * (the same checks as dragging: port types and cycles), and where each output goes. This is the keyboard way to
 * wire a pipeline — React Flow connects handles with a pointer only — and a plain list of what feeds what.
 */
'use client';
import { useShallow } from 'zustand/react/shallow';
import type { AnyNodeDefinition } from '../../graph-nodes/core/define-node';
import { nodeTitle, portText, portTypeText } from '../../graph-nodes/i18n/node-text';
import { getDefinition } from '../../graph-nodes/registry';
import type { Lang } from '../_i18n/lang-store';
import { useLangValue, useT } from '../_i18n/translate';
import { checkConnection } from './connect-rules';
import type { AppEdge, AppNode } from './doc';
import { useEditor } from './store';

/** A source written as one select value; node ids and port names never contain a tab. */
const sep = '\t';

type Source = { value: string; text: string };

function shownName(node: AppNode, lang: Lang): string {
  const def = getDefinition(node.data.type);
  const name = node.data.label || (def ? nodeTitle(def, lang) : node.data.type);
  return `${name} (${node.id})`;
}

/** Outputs of other nodes that this input would accept, in canvas order. */
function sourcesFor(nodes: AppNode[], edges: AppEdge[], target: string, port: string, lang: Lang): Source[] {
  const out: Source[] = [];
  for (const n of nodes) {
    if (n.id === target) continue;
    const def = getDefinition(n.data.type);
    if (!def) continue;
    for (const name of Object.keys(def.outputs)) {
      if (!checkConnection(nodes, edges, { source: n.id, sourceHandle: name, target, targetHandle: port }).ok) continue;
      out.push({ value: `${n.id}${sep}${name}`, text: `${shownName(n, lang)} · ${portText(def, 'output', name, lang).label}` });
    }
  }
  return out;
}

export function PortConnections({ node, def }: { node: AppNode; def: AnyNodeDefinition }) {
  const { nodes, edges, connect, disconnect } = useEditor(
    useShallow((s) => ({ nodes: s.nodes, edges: s.edges, connect: s.connect, disconnect: s.disconnect })),
  );
  const lang = useLangValue();
  const t = useT();
  const inputs = Object.entries(def.inputs);
  const outputs = Object.entries(def.outputs);
  if (inputs.length === 0 && outputs.length === 0) return null;
  const byId = new Map(nodes.map((n) => [n.id, n]));

  return (
    <fieldset className="connections" data-testid="connections">
      <legend className="field-name">{t('connections.title')}</legend>
      {inputs.map(([port, spec]) => {
        const id = `connect-${port}`;
        const current = edges.find((e) => e.target === node.id && e.targetHandle === port);
        const value = current ? `${current.source}${sep}${current.sourceHandle}` : '';
        const sources = sourcesFor(nodes, edges, node.id, port, lang);
        // The current source stays listed even if it would now be refused, so the select shows the truth.
        if (current && !sources.some((s) => s.value === value)) {
          const from = byId.get(current.source);
          sources.unshift({ value, text: from ? `${shownName(from, lang)} · ${current.sourceHandle}` : value });
        }
        return (
          <div className="field" key={port}>
            <label htmlFor={id} className="field-name">
              {portText(def, 'input', port, lang).label} <span className="bounds">{portTypeText(spec.type, lang).label}</span>
            </label>
            <select
              id={id}
              data-testid={id}
              value={value}
              aria-invalid={!current && !spec.optional}
              className={!current && !spec.optional ? 'invalid' : undefined}
              onChange={(e) => {
                const v = e.target.value;
                if (v === '') return disconnect(node.id, port);
                const [source, sourceHandle] = v.split(sep);
                connect({ source: source!, sourceHandle: sourceHandle!, target: node.id, targetHandle: port });
              }}
            >
              <option value="">{spec.optional ? t('connections.noneOptional') : t('connections.none')}</option>
              {sources.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.text}
                </option>
              ))}
            </select>
            {sources.length === 0 && !current ? <p className="help">{t('connections.noSource', { type: portTypeText(spec.type, lang).label })}</p> : null}
          </div>
        );
      })}
      {outputs.length > 0 ? (
        <ul className="connections-out" data-testid="connections-out">
          {outputs.map(([port]) => {
            const to = edges.filter((e) => e.source === node.id && e.sourceHandle === port);
            const targets = to.map((e) => {
              const n = byId.get(e.target);
              const tdef = n ? getDefinition(n.data.type) : undefined;
              return `${n ? shownName(n, lang) : e.target} · ${tdef ? portText(tdef, 'input', e.targetHandle ?? '', lang).label : e.targetHandle}`;
            });
            return (
              <li key={port}>
                <span className="field-name">{portText(def, 'output', port, lang).label}</span> →{' '}
                {targets.length > 0 ? targets.join(', ') : <span className="muted">{t('connections.unused')}</span>}
              </li>
            );
          })}
        </ul>
      ) : null}
    </fieldset>
  );
}
