/**
 * The current UI language in a tiny zustand store: remembered in localStorage, else taken from the browser
 * (ja* ⇒ Japanese, anything else ⇒ English). Changing it also sets `<html lang>` (screen readers pick their voice
 * from it) and switches zod's issue messages, so inline parameter errors follow the language.
 */
import { z } from 'zod';
import { create } from 'zustand';

export const languages = ['en', 'ja'] as const;
export type Lang = (typeof languages)[number];
export const LANG_STORAGE_KEY = 'kizuki.lang';

export const isLang = (x: unknown): x is Lang => languages.includes(x as Lang);

/** Saved choice first, then the browser's preferred languages; English when nothing says otherwise. */
export function detectLang(saved: string | null, browser: readonly string[]): Lang {
  if (isLang(saved)) return saved;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

function initialLang(): Lang {
  if (typeof window === 'undefined') return 'en';
  let saved: string | null = null;
  try {
    saved = window.localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    // Storage blocked (private mode, policy): fall back to the browser language.
  }
  // Some hosts (Node before 21, test doubles of window) have no navigator.
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  const browser = nav?.languages?.length ? nav.languages : [nav?.language ?? 'en'];
  return detectLang(saved, browser);
}

function applyLang(lang: Lang) {
  z.config(lang === 'ja' ? z.locales.ja() : z.locales.en());
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

type LangState = { lang: Lang; setLang(lang: Lang): void };

export const useLang = create<LangState>()((set) => ({
  lang: initialLang(),
  setLang: (lang) => {
    applyLang(lang);
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, lang);
    } catch {
      // Not remembered, but the switch still applies to this page.
    }
    set({ lang });
  },
}));

applyLang(useLang.getState().lang);
