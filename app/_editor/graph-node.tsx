/**
 * The one node component for every definition: header (title, id, status badge), a typed handle per port,
 * run feedback (progress, error + hint, skipped reason, warnings) and the preview slot.
 * It computes nothing; it only renders the definition and the run state from the store.
 */
'use client';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { parseParams } from '../../graph-nodes/core/define-node';
import { getDefinition } from '../../graph-nodes/registry';
import type { NodeStatus } from '../../workers/engine/events';
import type { AppNode } from './doc';
import { Previews } from './previews';
import { useEditor } from './store';
import { TypedHandle } from './typed-handle';

const statusText: Record<NodeStatus, string> = {
  idle: 'idle',
  queued: 'queued',
  running: 'running',
  cached: 'cached',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

function GraphNodeView({ id, data, selected }: NodeProps<AppNode>) {
  const def = getDefinition(data.type);
  const run = useEditor((s) => s.nodeRun[id]);
  const connected = useEditor((s) => s.edges.filter((e) => e.target === id).map((e) => e.targetHandle).join('|'));
  const connectedOut = useEditor((s) => s.edges.filter((e) => e.source === id).map((e) => e.sourceHandle).join('|'));
  if (!def) return <div className="gn gn--failed">Unknown node type {data.type}</div>;

  const status: NodeStatus = run?.status ?? 'idle';
  const paramsOk = parseParams(def, data.params).ok;
  const p = run?.progress;
  const inNames = connected.split('|');
  const outNames = connectedOut.split('|');

  return (
    <div
      className={`gn gn--${status}${selected ? ' gn--selected' : ''}`}
      data-testid={`node-${id}`}
      data-status={status}
    >
      <header className="gn-head">
        <div className="gn-titles">
          <div className="gn-title" title={def.description}>{data.label || def.title}</div>
          <div className="gn-sub">
            {data.label ? `${def.title} · ` : ''}
            <code>{id}</code>
          </div>
        </div>
        <span className={`badge badge--${status}`} data-testid={`status-${id}`}>
          {statusText[status]}
        </span>
      </header>

      <div className="gn-ports">
        <div className="gn-col">
          {Object.entries(def.inputs).map(([name, spec]) => (
            <TypedHandle key={name} nodeId={id} name={name} spec={spec} side="input" connected={inNames.includes(name)} />
          ))}
        </div>
        <div className="gn-col gn-col--out">
          {Object.entries(def.outputs).map(([name, spec]) => (
            <TypedHandle key={name} nodeId={id} name={name} spec={spec} side="output" connected={outNames.includes(name)} />
          ))}
        </div>
      </div>

      {!paramsOk ? <div className="gn-msg gn-msg--warn">Invalid parameters: fix them in the side panel.</div> : null}

      {status === 'running' ? (
        <div className="gn-progress" data-testid={`progress-${id}`}>
          <div className="bar">
            <div style={{ width: `${Math.round(Math.min(1, Math.max(0, p?.fraction ?? 0)) * 100)}%` }} />
          </div>
          <div className="gn-progress-text">
            {p?.epoch !== undefined ? `epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ''}` : ''}
            {p?.loss !== undefined ? ` · loss ${p.loss.toPrecision(3)}` : ''}
            {p?.message ? ` ${p.message}` : ''}
          </div>
        </div>
      ) : null}

      {status === 'failed' && run?.error ? (
        <div className="gn-msg gn-msg--error" role="alert" data-testid={`error-${id}`}>
          <div>{run.error.message}</div>
          <div className="hint">{run.error.hint}</div>
        </div>
      ) : null}

      {status === 'skipped' ? (
        <div className="gn-msg gn-msg--muted">Skipped because {run?.blockedBy ?? 'an upstream node'} failed.</div>
      ) : null}

      {run && run.warnings.length > 0 ? (
        <div className="gn-msg gn-msg--warn">
          {run.warnings.map((w, i) => (
            <div key={i}>{w}</div>
          ))}
        </div>
      ) : null}

      {(status === 'done' || status === 'cached') && run?.seconds !== undefined ? (
        <div className="gn-time">{status === 'cached' ? 'from cache' : `${run.seconds.toFixed(1)} s`}</div>
      ) : null}

      <Previews previews={run?.preview} nodeId={id} />
    </div>
  );
}

export const GraphNode = memo(GraphNodeView);
