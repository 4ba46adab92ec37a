/**
 * What this browser remembers about server pipelines, in localStorage: the edit links it holds (its "account"),
 * and which pipeline is open at which revision. Edit links never leave the browser except to the server.
 */
export type HeldPipeline = { key: string; id: string; name: string };
export type OpenPipeline = { key: string; id: string; revision: number; savedJson: string };

const HELD = 'kizuki.storage.editLinks';
const OPEN = 'kizuki.storage.open';

function read<T>(k: string, fallback: T): T {
  try {
    const raw = window.localStorage.getItem(k);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function write(k: string, v: unknown) {
  try {
    if (v === null) window.localStorage.removeItem(k);
    else window.localStorage.setItem(k, JSON.stringify(v));
  } catch {
    // Storage disabled: links then last for this page only; the share dialog still shows them to copy.
  }
}

export function heldPipelines(): HeldPipeline[] {
  const v = read<unknown>(HELD, []);
  return Array.isArray(v) ? (v.filter((x) => x && typeof x.key === 'string' && typeof x.id === 'string') as HeldPipeline[]) : [];
}

export function rememberPipeline(p: HeldPipeline) {
  write(HELD, [p, ...heldPipelines().filter((x) => x.id !== p.id)]);
}

export function forgetKeys(keys: string[]) {
  const drop = new Set(keys);
  write(HELD, heldPipelines().filter((x) => !drop.has(x.key)));
}

export function openPipelineRecord(): OpenPipeline | null {
  const v = read<OpenPipeline | null>(OPEN, null);
  return v && typeof v.key === 'string' && typeof v.revision === 'number' ? v : null;
}

export function setOpenPipelineRecord(p: OpenPipeline | null) {
  write(OPEN, p);
}

/** A link to this app with one query parameter (edit / view / template). */
export function appLink(param: 'edit' | 'view' | 'template', value: string): string {
  const u = new URL(window.location.origin + window.location.pathname);
  u.searchParams.set(param, value);
  return u.toString();
}
