/**
 * Node and error texts in a chosen language: the English source lives in the definitions and core/errors.ts,
 * the other languages in catalogues here (ja-nodes.ts, ja-errors.ts). Anything a catalogue lacks falls back to
 * English, so a node added without a translation still shows text (the i18n unit test then fails).
 */
import { type AnyNodeDefinition, type Category, categoryTitles } from '../core/define-node';
import { type ErrorInfo, errorCatalogue } from '../core/errors';
import { type PortType, portTypes } from '../core/port-types';
import { jaErrors } from './ja-errors';
import { jaRunMessages, jaSkipReasons, type RunMessagePattern } from './ja-messages';
import { jaCategories, jaNodes, jaPortTypes } from './ja-nodes';
import { jaPreviewTitles, jaTemplates } from './ja-templates';

export type TextLang = 'en' | 'ja';

export function nodeTitle(def: AnyNodeDefinition, lang: TextLang): string {
  return (lang === 'ja' && jaNodes[def.type]?.title) || def.title;
}

export function nodeDescription(def: AnyNodeDefinition, lang: TextLang): string {
  return (lang === 'ja' && jaNodes[def.type]?.description) || def.description;
}

export function portText(def: AnyNodeDefinition, side: 'input' | 'output', name: string, lang: TextLang): { label: string; description?: string } {
  const spec = (side === 'input' ? def.inputs : def.outputs)[name];
  const en = { label: spec?.label ?? name, description: spec?.description };
  if (lang !== 'ja') return en;
  const ja = jaNodes[def.type]?.[side === 'input' ? 'inputs' : 'outputs'][name];
  return { label: ja?.label ?? en.label, description: ja?.description ?? en.description };
}

/** A parameter's display name: the schema key in English (what --set and the JSON use), a Japanese name in Japanese. */
export function paramLabel(def: AnyNodeDefinition, key: string, lang: TextLang): string {
  return (lang === 'ja' && jaNodes[def.type]?.params[key]?.label) || key;
}

/** The parameter's help text; `english` is the schema's `.describe()` text. */
export function paramHelp(def: AnyNodeDefinition, key: string, english: string | undefined, lang: TextLang): string | undefined {
  return (lang === 'ja' && jaNodes[def.type]?.params[key]?.help) || english;
}

/** How an enum value is shown: the value itself in English; the Japanese word with the value in Japanese. */
export function optionLabel(def: AnyNodeDefinition, key: string, value: string, lang: TextLang): string {
  const ja = lang === 'ja' ? jaNodes[def.type]?.params[key]?.options?.[value] : undefined;
  return ja && ja !== value ? `${ja}（${value}）` : value;
}

export function categoryTitle(c: Category, lang: TextLang): string {
  return lang === 'ja' ? jaCategories[c] : categoryTitles[c];
}

export function portTypeText(t: PortType, lang: TextLang): { label: string; meaning: string } {
  return lang === 'ja' ? jaPortTypes[t] : { label: portTypes[t].label, meaning: portTypes[t].meaning };
}

/**
 * An error's message and hint in the chosen language, from its code and variables. A hint the thrower wrote
 * itself (not the catalogue's) and errors without variables (from an older worker) stay as they came.
 */
export function errorText(info: ErrorInfo, lang: TextLang): { message: string; hint: string } {
  if (lang === 'en' || !info.detail) return { message: info.message, hint: info.hint };
  const ja = jaErrors[info.code];
  if (!ja) return { message: info.message, hint: info.hint };
  const customHint = info.hint !== errorCatalogue[info.code]?.hint;
  return { message: ja.message(info.detail), hint: customHint ? info.hint : ja.hint };
}

/** A built-in template's title and description (by template id); English comes from the template itself. */
export function templateText(t: { id: string; title: string; description: string }, lang: TextLang): { title: string; description: string } {
  return (lang === 'ja' && jaTemplates[t.id]) || { title: t.title, description: t.description };
}

function byPattern(patterns: RunMessagePattern[], message: string): string | undefined {
  for (const { pattern, ja } of patterns) {
    const m = pattern.exec(message);
    if (m) return ja([...m].map((g) => g ?? ''), (s) => runMessageText(s, 'ja'));
  }
  return undefined;
}

/**
 * A sentence the engine sent while running (a progress message, a node warning, a data-manifest line, the
 * backend's reason), in the chosen language: kernels write English (shared with the CLI and the report), the
 * editor re-words the known shapes (ja-messages.ts) when it shows them; an unknown sentence stays English.
 */
export function runMessageText(message: string, lang: TextLang): string {
  if (lang === 'en') return message;
  return byPattern(jaRunMessages, message) ?? byPattern(jaSkipReasons, message) ?? message;
}

/** A preview title a kernel sent, in the chosen language: a known fixed title, or a known sentence shape. */
export function previewTitle(title: string, lang: TextLang): string {
  if (lang !== 'ja') return title;
  return jaPreviewTitles[title] ?? runMessageText(title, lang);
}
