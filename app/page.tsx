import { EditorEntry } from './_editor/editor-entry';
import { SharedViewEntry } from './_editor/storage/shared-view-entry';

type Search = Record<string, string | string[] | undefined>;

/** The editor; a view link (`?view=`) or template link (`?template=`) opens the read-only shared view instead. */
export default async function Page({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const view = one(sp.view);
  const template = one(sp.template);
  if (view || template) return <SharedViewEntry view={view} template={template} />;
  return <EditorEntry />;
}
