/**
 * The read-only page behind a view link (`?view=TOKEN`) or a template link (`?template=ID`): name, the
 * teacher's notes (plain text), the pipeline on a read-only canvas (hidden params left out, locked ones
 * marked), and "Make my copy", which creates the visitor's own pipeline and opens it in the editor.
 */
'use client';
import { useEffect, useState } from 'react';
import { t as tNow, useT } from '../../_i18n/translate';
import type { ParamLocks } from '../../../graph-nodes/core/param-locks';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import './storage.css';
import { api, describeFailure } from './client';
import { DocCanvas } from './doc-canvas';
import { appLink, rememberPipeline } from './links';

type Shown = { title: string; notes?: string; doc: PipelineDoc; locks: ParamLocks };

export function SharedView({ view, template }: { view?: string; template?: string }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copying, setCopying] = useState(false);
  const t = useT();

  useEffect(() => {
    const load = view
      ? api.share.view.query({ token: view }).then((v) => ({ title: v.name, doc: v.doc, locks: v.locks }))
      : api.templates.get.query({ templateId: template ?? '' }).then((t) => ({ title: t.title, notes: t.notes, doc: t.doc, locks: t.locks }));
    load.then(setShown).catch((err) => setError(describeFailure(err, tNow('storage.doing.openLink')).text));
  }, [view, template]);

  const makeCopy = async () => {
    setCopying(true);
    try {
      const created = view ? await api.share.copy.mutate({ token: view }) : await api.templates.use.mutate({ templateId: template ?? '' });
      rememberPipeline({ key: created.key, id: created.id, name: shown?.title ?? t('storage.copyFallback') });
      // The editor opens edit links from the URL (and then drops the token from the address bar).
      window.location.assign(appLink('edit', created.key));
    } catch (err) {
      setError(describeFailure(err, t('storage.doing.makeCopy')).text);
      setCopying(false);
    }
  };

  return (
    <div className="view-page">
      <div className="view-banner">
        <strong>Kizuki</strong>
        <span className="grow" data-testid="view-title">
          {shown ? shown.title : t('common.loading')}
        </span>
        <span className="muted small">{t(template ? 'storage.readOnlyTemplate' : 'storage.readOnlyView')}</span>
        <button type="button" className="button button--primary" disabled={!shown || copying} onClick={() => void makeCopy()} data-testid="make-copy">
          {t('storage.makeCopy')}
        </button>
      </div>
      {error ? (
        <p className="notice notice--error" role="alert" data-testid="view-error">
          {error}
        </p>
      ) : null}
      {shown?.notes ? (
        <p className="view-notes" data-testid="view-notes">
          {shown.notes}
        </p>
      ) : null}
      <div className="view-canvas">{shown ? <DocCanvas doc={shown.doc} locks={shown.locks} testId="view-canvas" /> : null}</div>
    </div>
  );
}
