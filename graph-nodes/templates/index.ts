/** Built-in pipeline templates, opened from the editor and via `kizuki template ID`. */
import { type PipelineDoc, pipelineDocSchema } from '../core/pipeline-schema';
import lectureAeResidual from './lecture-ae-residual.json';
import lectureAeLatent from './lecture-ae-latent.json';
import lectureAeFeatures from './lecture-ae-features.json';
import lectureDeepSad from './lecture-deep-sad.json';
import lectureDeepSvdd from './lecture-deep-svdd.json';
import lecturePadim from './lecture-padim.json';
import phantomPadimAe from './phantom-padim-ae.json';
import compareAll from './compare-all.json';

export type Template = { id: string; title: string; description: string; doc: PipelineDoc };

function template(id: string, json: unknown): Template {
  const doc = pipelineDocSchema.parse(json);
  return { id, title: doc.name, description: doc.description ?? '', doc };
}

export const templates: readonly Template[] = [
  template('lecture-ae-residual', lectureAeResidual),
  template('lecture-ae-latent', lectureAeLatent),
  template('lecture-ae-features', lectureAeFeatures),
  template('lecture-deep-svdd', lectureDeepSvdd),
  template('lecture-deep-sad', lectureDeepSad),
  template('lecture-padim', lecturePadim),
  template('phantom-padim-ae', phantomPadimAe),
  template('compare-all', compareAll),
];

export const DEFAULT_TEMPLATE_ID = 'lecture-ae-residual';

export function getTemplate(id: string): Template | undefined {
  return templates.find((t) => t.id === id);
}
