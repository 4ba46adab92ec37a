/**
 * Template gallery: the built-in lecture templates (description and a layout sketch) and the templates
 * published on this server (title, notes as plain text). A built-in template opens as a new, unsaved pipeline;
 * a published one becomes the student's own saved copy, with the teacher's locks.
 */
'use client';
import { useEffect, useState } from 'react';
import { t as tNow, useLangValue, useT } from '../../_i18n/translate';
import { templateText } from '../../../graph-nodes/i18n/node-text';
import type { ParamLocks } from '../../../graph-nodes/core/param-locks';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import { templates as builtIn } from '../../../graph-nodes/templates/index';
import { openDoc } from '../doc-menu';
import { useEditor } from '../store';
import { api, describeFailure } from './client';
import { Dialog } from './copy-field';
import { Thumbnail } from './doc-canvas';
import { adoptCreated, useStorage } from './sync';

type Published = { id: string; title: string; notes: string; doc: PipelineDoc; locks: ParamLocks };

export function GalleryDialog({ onClose }: { onClose(): void }) {
  const [published, setPublished] = useState<Published[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = useT();
  const lang = useLangValue();
  useEffect(() => {
    api.templates.list
      .query()
      .then(setPublished)
      .catch((err) => setError(describeFailure(err, tNow('storage.doing.listTemplates')).text));
  }, []);

  const openBuiltIn = (doc: PipelineDoc, title: string) => {
    // Unsaved local work would be replaced: ask. Server pipelines stay on the server.
    const s = useStorage.getState();
    if (s.open === null && useEditor.getState().nodes.length > 0 && !window.confirm(t('storage.replaceLocal'))) return;
    openDoc(doc, t('doc.templateWhat', { title }));
    onClose();
  };

  const usePublished = async (p: Published) => {
    try {
      const created = await api.templates.use.mutate({ templateId: p.id });
      await adoptCreated(created, false);
      onClose();
    } catch (err) {
      setError(describeFailure(err, t('storage.doing.useTemplate')).text);
    }
  };

  return (
    <Dialog title={t('storage.galleryTitle')} onClose={onClose} wide testId="gallery-dialog">
      {error ? (
        <p className="text-error" role="alert">
          {error}
        </p>
      ) : null}
      <h3 className="small muted">{t('storage.lectureTemplates')}</h3>
      <div className="gallery">
        {builtIn.map((b) => {
          const text = templateText(b, lang);
          return (
            <div key={b.id} className="gallery-card" data-testid={`gallery-builtin-${b.id}`}>
              <Thumbnail doc={b.doc} />
              <h3>{text.title}</h3>
              <p>{text.description}</p>
              <button type="button" className="button button--small" onClick={() => openBuiltIn(b.doc, text.title)}>
                {t('common.open')}
              </button>
            </div>
          );
        })}
      </div>
      <h3 className="small muted">{t('storage.publishedHere')}</h3>
      {published?.length === 0 ? <p className="muted small">{t('storage.noPublished')}</p> : null}
      <div className="gallery">
        {published?.map((p) => (
          <div key={p.id} className="gallery-card" data-testid="gallery-published">
            <Thumbnail doc={p.doc} />
            <h3>{p.title}</h3>
            <p>{p.notes}</p>
            <button type="button" className="button button--small" onClick={() => void usePublished(p)} data-testid="gallery-use">
              {t('storage.makeCopy')}
            </button>
          </div>
        ))}
      </div>
    </Dialog>
  );
}
