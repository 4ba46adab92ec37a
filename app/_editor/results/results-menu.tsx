/**
 * Results out of the last run, in the toolbar: the HTML report, scores as CSV, plots as SVG/PNG, and the trained
 * detector as a zip that `kizuki score DETECTOR_DIR IMAGES_DIR` applies headless. After each run it fetches the
 * run's facts from the worker and, if the pipeline was imported with a data manifest, says whether the data match.
 */
'use client';
import { useEffect, useRef, useState } from 'react';
import { describeManifest, type ManifestComparison } from '../../../graph-nodes/core/data-manifest';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import { isPlot, PLOT_HEIGHT, PLOT_WIDTH, plotFileName, plotSvg, type PlotPreview } from '../../../graph-nodes/core/plot-svg';
import { buildReport, type ReportNode } from '../../../graph-nodes/core/report';
import { zipStore } from '../../../graph-nodes/core/zip';
import { runMessageText } from '../../../graph-nodes/i18n/node-text';
import { useLang } from '../../_i18n/lang-store';
import { type MessageKey, t, useT } from '../../_i18n/translate';
import { executor } from '../executor-client';
import { Modal } from '../modal';
import { useEditor } from '../store';
import { downloadBlob, downloadText, slug, svgToPng } from './download';
import { useResults } from './results-store';

const BUSY = new Set(['starting', 'running', 'stopping']);

/** Fetch the last run's facts once a run has ended; compare data with an imported manifest. */
async function refreshLastRun() {
  try {
    const info = await executor().lastRunInfo();
    useResults.getState().setLastRun(info);
    const { comparison } = useResults.getState();
    if (comparison && comparison.length > 0 && useEditor.getState().phase === 'done') {
      const allMatch = comparison.every((c) => c.status === 'matches');
      useEditor.getState().setNotice({
        kind: allMatch ? 'info' : 'warn',
        text: t(allMatch ? 'results.dataMatches' : 'results.dataDiffers'),
        details: comparison.map((c) => runMessageText(c.text, useLang.getState().lang)),
      });
    }
  } catch {
    // The worker was restarted or crashed: nothing to download until the next run.
    useResults.getState().setLastRun(null);
  }
}

/**
 * Called when a document is opened (template, import, new): forgets the last run (its results belong to the old
 * document) and remembers the data manifest the document carries. Returns lines describing it for the notice.
 */
export function noteOpenedDoc(doc: PipelineDoc, from: string): string[] {
  const manifest = doc.dataManifest;
  useResults.setState({ lastRun: null, comparison: null, imported: manifest ? { manifest, from } : null });
  if (!manifest || manifest.imageSets.length === 0) return [];
  const lang = useLang.getState().lang;
  return [...describeManifest(manifest).map((l) => t('results.exportedAfter', { what: runMessageText(l, lang) })), t('results.runToCheck')];
}

function reportHtml(): string {
  const { lastRun } = useResults.getState();
  const { nodeRun, backend } = useEditor.getState();
  if (!lastRun) throw new Error(t('results.runFirst'));
  const nodes: Record<string, ReportNode> = {};
  for (const [id, r] of Object.entries(nodeRun)) {
    nodes[id] = {
      status: r.status === 'skipped' && r.blockedBy ? `skipped (${r.blockedBy} failed)` : r.status,
      ...(r.seconds !== undefined ? { seconds: r.seconds } : {}),
      ...(r.preview ? { preview: r.preview } : {}),
      warnings: r.warnings,
      ...(r.error ? { error: { message: r.error.message, hint: r.error.hint } } : {}),
    };
  }
  return buildReport({
    doc: lastRun.doc,
    nodes,
    metrics: lastRun.summary.metrics,
    run: { status: lastRun.summary.status, backend: backend?.name ?? lastRun.summary.backend, seconds: lastRun.summary.seconds, finishedAt: lastRun.finishedAt, by: 'Kizuki in the browser' },
    manifest: lastRun.manifest,
  });
}

/** Report a failed download in the notice bar; the document is never touched. */
async function attempt(what: 'report' | 'scores' | 'detector' | 'plot', fn: () => Promise<void>) {
  try {
    await fn();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    useEditor.getState().setNotice({ kind: 'error', text: t('results.downloadFailed', { what: t(`results.what.${what}`), reason }) });
  }
}

export function ResultsMenu() {
  const phase = useEditor((s) => s.phase);
  const lastRun = useResults((s) => s.lastRun);
  const comparison = useResults((s) => s.comparison);
  const [detectorNode, setDetectorNode] = useState('');
  const [plotsOpen, setPlotsOpen] = useState(false);
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const tr = useT();
  const busy = BUSY.has(phase);
  const ready = lastRun !== null && !busy;

  useEffect(
    () =>
      useEditor.subscribe((s, prev) => {
        if (BUSY.has(prev.phase) && !BUSY.has(s.phase) && s.phase !== 'idle') void refreshLastRun();
        // Any whole-document load (template, import, server Open, history restore) ends the old run's results;
        // an import then records its own manifest (noteOpenedDoc).
        if (s.docRevision !== prev.docRevision) useResults.setState({ lastRun: null, comparison: null, imported: null });
      }),
    [],
  );

  // The menu closes on a click elsewhere or Escape.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const candidates = lastRun?.detectorNodes ?? [];
  const chosen = candidates.includes(detectorNode) ? detectorNode : (candidates[0] ?? '');
  const name = slug(lastRun?.doc.name ?? 'pipeline');

  return (
    <div className="results-menu" data-testid="results-menu" ref={menuRef}>
      <button
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title={tr(ready ? 'results.toggleReady' : 'results.toggleNotReady')}
        data-testid="results-toggle"
      >
        {tr('results.toggle')}
      </button>
      {comparison ? <DataCheck comparison={comparison} /> : null}
      {open ? (
        <div className="results-panel" role="menu">
          <button
            type="button"
            className="button"
            disabled={!ready}
            title={tr(ready ? 'results.reportTitle' : 'results.runFirst')}
            onClick={() => void attempt('report', async () => downloadText(`${name}.report.html`, reportHtml(), 'text/html'))}
            data-testid="download-report"
          >
            {tr('results.report')}
          </button>
          <button
            type="button"
            className="button"
            disabled={!ready}
            title={tr(ready ? 'results.scoresTitle' : 'results.runFirst')}
            onClick={() => void attempt('scores', async () => downloadText(`${name}.scores.csv`, await executor().scoresCsv(), 'text/csv'))}
            data-testid="download-scores"
          >
            {tr('results.scores')}
          </button>
          <button
            type="button"
            className="button"
            disabled={!ready}
            onClick={() => {
              setPlotsOpen(true);
              setOpen(false);
            }}
            data-testid="open-plots"
          >
            {tr('results.plots')}
          </button>
          {candidates.length > 1 ? (
            <select value={chosen} onChange={(e) => setDetectorNode(e.target.value)} aria-label={tr('results.detectorNode')} data-testid="detector-node">
              {candidates.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          ) : null}
          <button
            type="button"
            className="button"
            disabled={!ready || !chosen}
            title={
              !ready ? tr('results.runFirst') : chosen ? tr('results.detectorTitle', { node: chosen }) : tr('results.noDetector')
            }
            onClick={() =>
              void attempt('detector', async () => {
                const files = await executor().exportDetector(chosen);
                downloadBlob(`${name}-${chosen}.detector.zip`, new Blob([zipStore(files) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
              })
            }
            data-testid="download-detector"
          >
            {tr('results.detector')}
          </button>
        </div>
      ) : null}
      {plotsOpen ? <PlotsDialog onClose={() => setPlotsOpen(false)} fileStem={name} /> : null}
    </div>
  );
}

function DataCheck({ comparison }: { comparison: ManifestComparison[] }) {
  const status = comparison.every((c) => c.status === 'matches') ? 'matches' : comparison.some((c) => c.status === 'differs') ? 'differs' : 'missing';
  const t = useT();
  const lang = useLang((s) => s.lang);
  const key: MessageKey = `results.data.${status}`;
  return (
    <span className={`data-check data-check--${status}`} data-testid="data-check" data-status={status} title={comparison.map((c) => runMessageText(c.text, lang)).join('\n')}>
      {t(key)}
    </span>
  );
}

function PlotsDialog({ onClose, fileStem }: { onClose: () => void; fileStem: string }) {
  const nodeRun = useEditor((s) => s.nodeRun);
  const t = useT();
  const plots: { nodeId: string; plot: PlotPreview; index: number }[] = [];
  for (const [nodeId, r] of Object.entries(nodeRun)) {
    (r.preview ?? []).filter(isPlot).forEach((plot, index) => plots.push({ nodeId, plot, index }));
  }
  return (
    <Modal className="modal--wide" labelledBy="plots-title" testId="plots-dialog" onClose={onClose}>
      <h2 id="plots-title">{t('results.plotsTitle')}</h2>
      {plots.length === 0 ? <p>{t('results.noPlots')}</p> : null}
      <ul className="plot-list">
        {plots.map(({ nodeId, plot, index }) => {
          const svg = plotSvg(plot);
          const file = (ext: 'svg' | 'png') => `${fileStem}-${plotFileName(nodeId, plot, index, ext)}`;
          return (
            <li key={`${nodeId}-${index}`} data-testid={`plot-${nodeId}-${plot.kind}`}>
              <span>
                <b>{nodeId}</b> · {plot.kind}
              </span>
              <button type="button" className="button button--small" onClick={() => downloadText(file('svg'), svg, 'image/svg+xml')} data-testid="plot-svg">
                SVG
              </button>
              <button
                type="button"
                className="button button--small"
                onClick={() => void attempt('plot', async () => downloadBlob(file('png'), await svgToPng(svg, PLOT_WIDTH, PLOT_HEIGHT)))}
                data-testid="plot-png"
              >
                PNG
              </button>
            </li>
          );
        })}
      </ul>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}
