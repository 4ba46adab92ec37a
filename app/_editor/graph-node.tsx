/**
 * The one node component for every definition: header (title, id, status badge), a typed handle per port,
 * run feedback (progress, error + hint, skipped reason, warnings) and the preview slot.
 * It computes nothing; it only renders the definition and the run state from the store.
 */
'use client';
import type { NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import { parseParams } from '../../graph-nodes/core/define-node';
import { errorText, nodeDescription, nodeTitle, runMessageText } from '../../graph-nodes/i18n/node-text';
import { getDefinition } from '../../graph-nodes/registry';
import { useLangValue, useT } from '../_i18n/translate';
import type { NodeStatus } from '../../workers/engine/events';
import type { AppNode } from './doc';
import { Inspector } from './inspector';
import { Previews } from './previews';
import { etaText, remainingSeconds } from './eta';
import { useEditor } from './store';
import { TypedHandle } from './typed-handle';

function GraphNodeView({ id, data, selected }: NodeProps<AppNode>) {
  const def = getDefinition(data.type);
  const run = useEditor((s) => s.nodeRun[id]);
  const connected = useEditor((s) => s.edges.filter((e) => e.target === id).map((e) => e.targetHandle).join('|'));
  const connectedOut = useEditor((s) => s.edges.filter((e) => e.source === id).map((e) => e.sourceHandle).join('|'));
  const lang = useLangValue();
  const t = useT();
  const [inspecting, setInspecting] = useState(false);
  if (!def) return <div className="gn gn--failed">{t('node.unknownType', { type: data.type })}</div>;

  const status: NodeStatus = run?.status ?? 'idle';
  // The inspector (button, or a click on a thumbnail) opens once the node has run and has images or scores to rank.
  const canInspect =
    (status === 'done' || status === 'cached') &&
    Object.values(def.outputs).some((o) => o.type === 'Scores' || o.type === 'ImageSet' || o.type === 'Heatmaps');
  const disabledBy = useEditor((s) => (run?.blockedBy ? s.nodes.find((n) => n.id === run.blockedBy)?.data.disabled === true : false));
  const paramsOk = parseParams(def, data.params).ok;
  const p = run?.progress;
  const remaining = status === 'running' && p && run?.startedAt ? remainingSeconds(Date.now() - run.startedAt, p.fraction) : null;
  const inNames = connected.split('|');
  const outNames = connectedOut.split('|');
  const title = nodeTitle(def, lang);
  const error = run?.error ? errorText(run.error, lang) : null;
  const progressText = [
    p?.epoch !== undefined ? t(p.epochs ? 'node.epochOf' : 'node.epoch', { epoch: p.epoch, epochs: p.epochs ?? '' }) : '',
    p?.loss !== undefined ? t('node.loss', { loss: p.loss.toPrecision(3) }) : '',
    remaining !== null ? etaText(remaining, t) : '',
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <div
      className={`gn gn--${status}${selected ? ' gn--selected' : ''}${data.disabled ? ' gn--disabled' : ''}`}
      data-testid={`node-${id}`}
      data-status={status}
      data-disabled={data.disabled ? 'true' : undefined}
    >
      <header className="gn-head">
        <div className="gn-titles">
          <div className="gn-title" title={nodeDescription(def, lang)}>{data.label || title}</div>
          <div className="gn-sub">
            {data.label ? `${title} · ` : ''}
            <code>{id}</code>
          </div>
        </div>
        {data.disabled ? (
          <span className="badge badge--disabled" data-testid={`disabled-${id}`} title={t('node.disabledTitle')}>
            {t('node.off')}
          </span>
        ) : null}
        <span className={`badge badge--${status}`} data-testid={`status-${id}`}>
          {t(`status.${status}`)}
        </span>
      </header>

      <div className="gn-ports">
        <div className="gn-col">
          {Object.entries(def.inputs).map(([name, spec]) => (
            <TypedHandle key={name} def={def} nodeId={id} name={name} spec={spec} side="input" connected={inNames.includes(name)} />
          ))}
        </div>
        <div className="gn-col gn-col--out">
          {Object.entries(def.outputs).map(([name, spec]) => (
            <TypedHandle key={name} def={def} nodeId={id} name={name} spec={spec} side="output" connected={outNames.includes(name)} />
          ))}
        </div>
      </div>

      {!paramsOk ? <div className="gn-msg gn-msg--warn">{t('node.invalidParams')}</div> : null}

      {status === 'running' ? (
        <div className="gn-progress" data-testid={`progress-${id}`}>
          <div className="bar">
            <div style={{ width: `${Math.round(Math.min(1, Math.max(0, p?.fraction ?? 0)) * 100)}%` }} />
          </div>
          <div className="gn-progress-text">
            {progressText}
            {p?.message ? ` ${runMessageText(p.message, lang)}` : ''}
          </div>
        </div>
      ) : null}

      {status === 'failed' && error ? (
        <div className="gn-msg gn-msg--error" role="alert" data-testid={`error-${id}`}>
          <div>{error.message}</div>
          <div className="hint">{error.hint}</div>
        </div>
      ) : null}

      {status === 'skipped' ? (
        <div className="gn-msg gn-msg--muted" data-testid={`skipped-${id}`}>
          {run?.blockedBy === id
            ? t('node.disabledNotRun')
            : run?.blockedBy
              ? t(disabledBy ? 'node.skippedDisabled' : 'node.skippedBecause', { node: run.blockedBy })
              : t('node.skippedUpstream')}
        </div>
      ) : null}

      {run && run.warnings.length > 0 ? (
        <div className="gn-msg gn-msg--warn">
          {run.warnings.map((w, i) => (
            <div key={i}>{runMessageText(w, lang)}</div>
          ))}
        </div>
      ) : null}

      {(status === 'done' || status === 'cached') && run?.seconds !== undefined ? (
        <div className="gn-time">{status === 'cached' ? t('node.fromCache') : t('node.seconds', { seconds: run.seconds.toFixed(1) })}</div>
      ) : null}

      <Previews previews={run?.preview} nodeId={id} onInspect={canInspect ? () => setInspecting(true) : undefined} />
      {canInspect ? (
        <div className="gn-inspect nodrag">
          <button type="button" className="button button--small" onClick={() => setInspecting(true)} data-testid={`inspect-${id}`}>
            {t('node.inspect')}
          </button>
        </div>
      ) : null}
      {inspecting ? <Inspector nodeId={id} onClose={() => setInspecting(false)} /> : null}
    </div>
  );
}

export const GraphNode = memo(GraphNodeView);
