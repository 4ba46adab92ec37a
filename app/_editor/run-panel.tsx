/**
 * Run controls: Run / Stop, run status, the active TF.js backend (with why it was chosen) and an override,
 * tensor memory and "Clear cache". Talks to the worker only through executor-client.
 */
'use client';
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { parseParams } from '../../graph-nodes/core/define-node';
import { getDefinition } from '../../graph-nodes/registry';
import { type BackendChoice, backendChoices, executor, WorkerRestartedError } from './executor-client';
import { CompareRuns } from './compare-runs';
import { useRunHistory } from './run-history';
import { type RunPhase, useEditor } from './store';

const RESTARTED = 'The worker was restarted; cached results were lost.';

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
    s.setNotice({ kind: 'warn', text: 'Nothing to run: add nodes from the palette or open a template.' });
    return;
  }
  const invalid = s.nodes.filter((n) => {
    const def = getDefinition(n.data.type);
    return def && !parseParams(def, n.data.params).ok;
  });
  if (invalid.length > 0) {
    s.setNotice({
      kind: 'error',
      text: `Cannot run: fix the parameters of ${invalid.map((n) => n.id).join(', ')} first.`,
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
        text: summary.status === 'invalid' ? 'The pipeline cannot run yet:' : 'The run failed:',
        details: after.runIssues.map((i) => `${i.message} ${i.hint}`),
      });
    }
  } catch (err) {
    if (err instanceof WorkerRestartedError) useEditor.getState().abortRun('cancelled', RESTARTED);
    else useEditor.getState().abortRun('failed', `The run failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  await refreshMemory();
}

export async function stopRun() {
  const s = useEditor.getState();
  if (s.phase !== 'running' && s.phase !== 'starting') return;
  useEditor.setState({ phase: 'stopping' });
  const how = await executor().stop();
  if (how === 'restarted') useEditor.getState().abortRun('cancelled', RESTARTED);
}

const phaseText: Record<RunPhase, string> = {
  idle: 'Ready',
  starting: 'Starting…',
  running: 'Running…',
  stopping: 'Stopping…',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Stopped',
  invalid: 'Cannot run',
};

/** Top bar: Run / Stop and the run status. */
export function RunControls() {
  const { phase, runSeconds } = useEditor(useShallow((s) => ({ phase: s.phase, runSeconds: s.runSeconds })));
  const busy = phase === 'starting' || phase === 'running' || phase === 'stopping';
  const [comparing, setComparing] = useState(false);
  return (
    <div className="run-panel">
      <button type="button" className="button" onClick={() => setComparing(true)} data-testid="compare-runs-open" title="Compare two runs side by side">
        Compare runs
      </button>
      {comparing ? <CompareRuns onClose={() => setComparing(false)} /> : null}
      <span className={`run-status run-status--${phase}`} data-testid="run-status" data-phase={phase} role="status">
        {phaseText[phase]}
        {runSeconds !== null && !busy ? ` in ${runSeconds.toFixed(1)} s` : ''}
      </span>
      <button type="button" className="button" onClick={() => void stopRun()} disabled={!busy || phase === 'stopping'} data-testid="stop">
        ■ Stop
      </button>
      <button type="button" className="button button--primary" onClick={() => void startRun()} disabled={busy} data-testid="run">
        ▶ Run
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
        <span className="muted">Backend</span>
        <select
          value={choice}
          onChange={(e) => void initBackend(e.target.value as BackendChoice)}
          disabled={busy}
          aria-label="Backend"
          data-testid="backend-select"
        >
          {backendChoices.map((c) => (
            <option key={c} value={c}>
              {c}
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
          <span className="text-error">unavailable: {backendError}</span>
        ) : backend ? (
          <>
            active: <b>{backend.name}</b> <span className="muted">· {backend.reason}</span>
          </>
        ) : (
          <span className="muted">starting the engine…</span>
        )}
      </span>

      <span className="grow" />

      <span className="memory" data-testid="memory" data-tensors={memory?.numTensors ?? ''}>
        {memory
          ? `Memory: ${memory.numTensors} tensors · ${formatBytes(memory.numBytes)} · cache ${memory.cacheEntries} entries`
          : 'Memory: –'}
      </span>
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={async () => {
          try {
            useEditor.getState().setMemory(await executor().clearCache());
          } catch (err) {
            useEditor.getState().setNotice({ kind: 'error', text: `Could not clear the cache: ${String(err)}` });
          }
        }}
        data-testid="clear-cache"
      >
        Clear cache
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
