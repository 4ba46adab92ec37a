/**
 * Template gallery: the built-in lecture templates (description and a layout sketch) and the templates
 * published on this server (title, notes as plain text). A built-in template opens as a new, unsaved pipeline;
 * a published one becomes the student's own saved copy, with the teacher's locks.
 */
'use client';
import { useEffect, useState } from 'react';
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
  useEffect(() => {
    api.templates.list
      .query()
      .then(setPublished)
      .catch((err) => setError(describeFailure(err, 'Listing published templates').text));
  }, []);

  const openBuiltIn = (doc: PipelineDoc, title: string) => {
    // Unsaved local work would be replaced: ask. Server pipelines stay on the server.
    const s = useStorage.getState();
    if (s.open === null && useEditor.getState().nodes.length > 0 && !window.confirm('Replace the pipeline on the canvas? It is not saved on the server.')) return;
    openDoc(doc, `template “${title}”`);
    onClose();
  };

  const usePublished = async (t: Published) => {
    try {
      const created = await api.templates.use.mutate({ templateId: t.id });
      await adoptCreated(created, false);
      onClose();
    } catch (err) {
      setError(describeFailure(err, 'Opening the template').text);
    }
  };

  return (
    <Dialog title="Template gallery" onClose={onClose} wide testId="gallery-dialog">
      {error ? (
        <p className="text-error" role="alert">
          {error}
        </p>
      ) : null}
      <h3 className="small muted">Lecture templates</h3>
      <div className="gallery">
        {builtIn.map((t) => (
          <div key={t.id} className="gallery-card" data-testid={`gallery-builtin-${t.id}`}>
            <Thumbnail doc={t.doc} />
            <h3>{t.title}</h3>
            <p>{t.description}</p>
            <button type="button" className="button button--small" onClick={() => openBuiltIn(t.doc, t.title)}>
              Open
            </button>
          </div>
        ))}
      </div>
      <h3 className="small muted">Published here</h3>
      {published?.length === 0 ? <p className="muted small">No published templates yet.</p> : null}
      <div className="gallery">
        {published?.map((t) => (
          <div key={t.id} className="gallery-card" data-testid="gallery-published">
            <Thumbnail doc={t.doc} />
            <h3>{t.title}</h3>
            <p>{t.notes}</p>
            <button type="button" className="button button--small" onClick={() => void usePublished(t)} data-testid="gallery-use">
              Make my copy
            </button>
          </div>
        ))}
      </div>
    </Dialog>
  );
}
