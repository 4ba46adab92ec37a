/**
 * `t(key, vars)` for the current language, and `useT()` for components (re-renders when the language changes).
 * Non-React code (run notices, load warnings) calls `t` directly: the text is worded when it is created.
 */
import { useCallback } from 'react';
import { en, type MessageKey } from './en';
import { formatMessage, type Vars } from './format';
import { ja } from './ja';
import { type Lang, useLang } from './lang-store';

const catalogues = { en, ja } as const;

export type { MessageKey };
export type TFunction = (key: MessageKey, vars?: Vars) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return formatMessage(catalogues[lang][key] ?? en[key], vars);
}

/** Worded in the language selected now. */
export function t(key: MessageKey, vars?: Vars): string {
  return translate(useLang.getState().lang, key, vars);
}

export function useT(): TFunction {
  const lang = useLang((s) => s.lang);
  return useCallback((key: MessageKey, vars?: Vars) => translate(lang, key, vars), [lang]);
}

export function useLangValue(): Lang {
  return useLang((s) => s.lang);
}
