/**
 * The one node component for every definition: header (title, id, status badge), a typed handle per port,
 * run feedback (progress, error + hint, skipped reason, warnings) and the preview slot.
 * It computes nothing; it only renders the definition and the run state from the store.
 */
'use client';
import type { NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import { parseParams } from '../../graph-nodes/core/define-node';
import { getDefinition } from '../../graph-nodes/registry';
import type { NodeStatus } from '../../workers/engine/events';
import type { AppNode } from './doc';
import { Inspector } from './inspector';
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
  const inspectable = Object.values(def.outputs).some((o) => o.type === 'Scores' || o.type === 'ImageSet' || o.type === 'Heatmaps');
  const disabledBy = useEditor((s) => (run?.blockedBy ? s.nodes.find((n) => n.id === run.blockedBy)?.data.disabled === true : false));
  const paramsOk = parseParams(def, data.params).ok;
  const p = run?.progress;
  const inNames = connected.split('|');
  const outNames = connectedOut.split('|');

  return (
    <div
      className={`gn gn--${status}${selected ? ' gn--selected' : ''}${data.disabled ? ' gn--disabled' : ''}`}
      data-testid={`node-${id}`}
      data-status={status}
      data-disabled={data.disabled ? 'true' : undefined}
    >
      <header className="gn-head">
        <div className="gn-titles">
          <div className="gn-title" title={def.description}>{data.label || def.title}</div>
          <div className="gn-sub">
            {data.label ? `${def.title} · ` : ''}
            <code>{id}</code>
          </div>
        </div>
        {data.disabled ? (
          <span className="badge badge--disabled" data-testid={`disabled-${id}`} title="Disabled: not run; nodes that depend on it are skipped">
            off
          </span>
        ) : null}
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
        <div className="gn-msg gn-msg--muted" data-testid={`skipped-${id}`}>
          {run?.blockedBy === id
            ? 'Disabled: not run.'
            : `Skipped because ${run?.blockedBy ?? 'an upstream node'} ${disabledBy ? 'is disabled' : 'failed'}.`}
        </div>
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
      {(status === 'done' || status === 'cached') && inspectable ? <InspectButton nodeId={id} /> : null}
    </div>
  );
}

export const GraphNode = memo(GraphNodeView);

/** Opens the image inspector: this node's images ranked by its scores, with the images around it side by side. */
function InspectButton({ nodeId }: { nodeId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="gn-inspect nodrag">
      <button type="button" className="button button--small" onClick={() => setOpen(true)} data-testid={`inspect-${nodeId}`}>
        Inspect images…
      </button>
      {open ? <Inspector nodeId={nodeId} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}
