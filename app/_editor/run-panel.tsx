/**
 * Run controls: Run / Stop, run status, the active TF.js backend (with why it was chosen) and an override,
 * tensor memory and "Clear cache". Talks to the worker only through executor-client.
 */
'use client';
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { parseParams } from '../../graph-nodes/core/define-node';
import { errorText, runMessageText } from '../../graph-nodes/i18n/node-text';
import { getDefinition } from '../../graph-nodes/registry';
import { useLang } from '../_i18n/lang-store';
import { type MessageKey, t, useLangValue, useT } from '../_i18n/translate';
import { type BackendChoice, backendChoices, executor, WorkerRestartedError } from './executor-client';
import { CompareRuns } from './compare-runs';
import { useRunHistory } from './run-history';
import { type RunPhase, useEditor } from './store';

const restarted = () => t('run.restarted');

/** `?backend=cpu` in the URL forces a backend (used by the e2e tests). */
export function backendFromUrl(): BackendChoice {
  const b = new URLSearchParams(window.location.search).get('backend');
  return backendChoices.includes(b as BackendChoice) ? (b as BackendChoice) : 'auto';
}

async function refreshMemory() {
  try {
    useEditor.getState().setMemory(await executor().memory());
  } catch {
    // The worker is restarting or gone; the readout stays as it was.
  }
}

export async function startRun() {
  const s = useEditor.getState();
  if (s.phase === 'starting' || s.phase === 'running' || s.phase === 'stopping') return;
  if (s.nodes.length === 0) {
    s.setNotice({ kind: 'warn', text: t('run.nothing') });
    return;
  }
  const invalid = s.nodes.filter((n) => {
    const def = getDefinition(n.data.type);
    return def && !parseParams(def, n.data.params).ok;
  });
  if (invalid.length > 0) {
    s.setNotice({
      kind: 'error',
      text: t('run.fixParams', { nodes: invalid.map((n) => n.id).join(', ') }),
    });
    return;
  }
  s.setNotice(null);
  s.beginRun();
  const doc = s.toDoc();
  try {
    const summary = await executor().run(doc, (e) => useEditor.getState().applyEvent(e));
    useRunHistory.getState().record(doc, summary);
    const after = useEditor.getState();
    // The summary may arrive before the last events (they use a different port): settle the phase here.
    useEditor.setState({ phase: summary.status });
    if (summary.status === 'invalid' || (summary.status === 'failed' && after.runIssues.length > 0)) {
      after.setNotice({
        kind: 'error',
        text: t(summary.status === 'invalid' ? 'run.cannotRunYet' : 'run.failed'),
        details: after.runIssues.map((i) => {
          const e = errorText(i, useLang.getState().lang);
          return `${e.message} ${e.hint}`;
        }),
      });
    }
  } catch (err) {
    if (err instanceof WorkerRestartedError) useEditor.getState().abortRun('cancelled', restarted());
    else useEditor.getState().abortRun('failed', t('run.failedWith', { reason: err instanceof Error ? err.message : String(err) }));
  }
  await refreshMemory();
}

export async function stopRun() {
  const s = useEditor.getState();
  if (s.phase !== 'running' && s.phase !== 'starting') return;
  useEditor.setState({ phase: 'stopping' });
  const how = await executor().stop();
  if (how === 'restarted') useEditor.getState().abortRun('cancelled', restarted());
}

const phaseKey = (phase: RunPhase): MessageKey => `phase.${phase}`;

/** Top bar: Run / Stop and the run status. */
export function RunControls() {
  const { phase, runSeconds } = useEditor(useShallow((s) => ({ phase: s.phase, runSeconds: s.runSeconds })));
  const busy = phase === 'starting' || phase === 'running' || phase === 'stopping';
  const [comparing, setComparing] = useState(false);
  const tr = useT();
  return (
    <div className="run-panel">
      <button type="button" className="button" onClick={() => setComparing(true)} data-testid="compare-runs-open" title={tr('compare.openTitle')}>
        {tr('compare.open')}
      </button>
      {comparing ? <CompareRuns onClose={() => setComparing(false)} /> : null}
      <span className={`run-status run-status--${phase}`} data-testid="run-status" data-phase={phase} role="status">
        {runSeconds !== null && !busy ? tr('run.in', { phase: tr(phaseKey(phase)), seconds: runSeconds.toFixed(1) }) : tr(phaseKey(phase))}
      </span>
      <button type="button" className="button" onClick={() => void stopRun()} disabled={!busy || phase === 'stopping'} data-testid="stop">
        {tr('run.stop')}
      </button>
      <button type="button" className="button button--primary" onClick={() => void startRun()} disabled={busy} data-testid="run">
        {tr('run.run')}
      </button>
    </div>
  );
}

/** Bottom bar: the TF.js backend (what is active and why, with an override) and tensor memory. */
export function EngineBar() {
  const { phase, backend, memory } = useEditor(useShallow((s) => ({ phase: s.phase, backend: s.backend, memory: s.memory })));
  const [choice, setChoice] = useState<BackendChoice>('auto');
  const [backendError, setBackendError] = useState<string | null>(null);
  const busy = phase === 'starting' || phase === 'running' || phase === 'stopping';
  const tr = useT();
  const lang = useLangValue();

  const initBackend = async (c: BackendChoice) => {
    setChoice(c);
    setBackendError(null);
    useEditor.getState().setBackend(null);
    try {
      useEditor.getState().setBackend(await executor().init(c));
      await refreshMemory();
    } catch (err) {
      setBackendError(err instanceof Error ? err.message : String(err));
    }
  };

  useEffect(() => {
    void initBackend(backendFromUrl());
  }, []);

  return (
    <footer className="engine-bar">
      <label className="backend-select">
        <span className="muted">{tr('engine.backend')}</span>
        <select
          value={choice}
          onChange={(e) => void initBackend(e.target.value as BackendChoice)}
          disabled={busy}
          aria-label={tr('engine.backend')}
          data-testid="backend-select"
        >
          {backendChoices.map((c) => (
            <option key={c} value={c}>
              {c === 'auto' ? tr('engine.auto') : c}
            </option>
          ))}
        </select>
      </label>
      <span
        className="backend"
        data-testid="backend"
        data-backend={backend?.name ?? ''}
        title={backend ? backend.tried.map((t) => `${t.name}: ${t.ok ? 'ok' : t.error ?? 'failed'}`).join('\n') : undefined}
      >
        {backendError ? (
          <span className="text-error">{tr('engine.unavailable', { reason: backendError })}</span>
        ) : backend ? (
          <>
            {tr('engine.active')} <b>{backend.name}</b> <span className="muted">· {runMessageText(backend.reason, lang)}</span>
          </>
        ) : (
          <span className="muted">{tr('engine.starting')}</span>
        )}
      </span>

      <span className="grow" />

      <span className="memory" data-testid="memory" data-tensors={memory?.numTensors ?? ''}>
        {memory
          ? tr('engine.memory', { tensors: memory.numTensors, bytes: formatBytes(memory.numBytes), entries: memory.cacheEntries })
          : tr('engine.memoryUnknown')}
      </span>
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={async () => {
          try {
            useEditor.getState().setMemory(await executor().clearCache());
          } catch (err) {
            useEditor.getState().setNotice({ kind: 'error', text: t('engine.clearCacheFailed', { reason: String(err) }) });
          }
        }}
        data-testid="clear-cache"
      >
        {tr('engine.clearCache')}
      </button>
    </footer>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
