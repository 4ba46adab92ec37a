import { EditorEntry } from './_editor/editor-entry';

export default function Page() {
  return <EditorEntry />;
}
