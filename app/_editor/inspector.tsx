/**
 * The image inspector: a node's images from the last run, ranked by its scores (most anomalous first, or least),
 * each row showing the images found around the node side by side (input, reconstruction, difference image,
 * heatmap). Pages are fetched from the worker on demand, so large sets never travel to the page at once.
 */
'use client';
import { useEffect, useState } from 'react';
import { useT } from '../_i18n/translate';
import { HeatOpacitySlider, ImageCanvas } from './image-canvas';
import { executor, type InspectPage, type InspectRequest } from './executor-client';
import { Modal } from './modal';

const PAGE = 12;
const labelKey = (l: number) => (l === 0 ? 'normal' : l === 1 ? 'anomalous' : 'unlabelled');

export function Inspector({ nodeId, onClose }: { nodeId: string; onClose: () => void }) {
  const [order, setOrder] = useState<InspectRequest['order']>('desc');
  const [filter, setFilter] = useState<InspectRequest['filter']>('all');
  const [page, setPage] = useState<InspectPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const t = useT();

  const load = async (offset: number) => {
    setLoading(true);
    setError(null);
    try {
      const next = await executor().inspect({ nodeId, offset, count: PAGE, order, filter });
      setPage((prev) => (offset === 0 || !prev ? next : { ...next, rows: [...prev.rows, ...next.rows] }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    setPage(null);
    void load(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nodeId, order, filter]);

  return (
    <Modal className="inspector" labelledBy="inspector-title" testId="inspector" onClose={onClose}>
      <h2 id="inspector-title">
        {t('inspector.title')} <code>{nodeId}</code> {page?.scorer ? <span className="muted">{t('inspector.rankedBy', { scorer: page.scorer })}</span> : null}
      </h2>
      <div className="inspector-controls">
        {page?.scorer ? (
          <label>
            {t('inspector.order')}{' '}
            <select value={order} onChange={(e) => setOrder(e.target.value as InspectRequest['order'])} data-testid="inspector-order">
              <option value="desc">{t('inspector.desc')}</option>
              <option value="asc">{t('inspector.asc')}</option>
            </select>
          </label>
        ) : null}
        <label>
          {t('inspector.show')}{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as InspectRequest['filter'])} data-testid="inspector-filter">
            <option value="all">{t('inspector.all')}</option>
            <option value="normal">{t('inspector.normalOnly')}</option>
            <option value="anomalous">{t('inspector.anomalousOnly')}</option>
          </select>
        </label>
        {page?.rows.some((r) => r.panels.some((p) => p?.layers)) ? <HeatOpacitySlider /> : null}
        {page ? (
          <span className="muted" data-testid="inspector-count">
            {t('inspector.count', { shown: page.rows.length, total: page.total })}
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="gn-msg gn-msg--error" role="alert">
          {error}
        </p>
      ) : null}
      {page ? (
        <div className="inspector-scroll">
          <table className="inspector-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('inspector.image')}</th>
                {page.scorer ? <th scope="col">{t('inspector.score')}</th> : null}
                {page.columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r, k) => (
                <tr key={r.index} data-testid="inspector-row" data-score={r.score ?? ''} data-label={r.label}>
                  <td>{k + 1}</td>
                  <td>
                    <div className="eval-name">{r.name}</div>
                    <div className={`inspector-label inspector-label--${labelKey(r.label)}`}>{t(`inspector.label.${labelKey(r.label)}`)}</div>
                  </td>
                  {page.scorer ? <td>{r.score === null ? '—' : r.score.toPrecision(4)}</td> : null}
                  {r.panels.map((p, i) => (
                    <td key={i}>{p ? <ImageCanvas img={p} className="inspector-thumb" aria-label={p.name} /> : '—'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : loading ? (
        <p className="muted">{t('inspector.loading')}</p>
      ) : null}
      <div className="modal-actions">
        {page && page.rows.length < page.total ? (
          <button type="button" className="button" onClick={() => void load(page.rows.length)} disabled={loading} data-testid="inspector-more">
            {t('inspector.more', { count: Math.min(PAGE, page.total - page.rows.length) })}
          </button>
        ) : null}
        <button type="button" className="button button--primary" onClick={onClose} autoFocus>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}
