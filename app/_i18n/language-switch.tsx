/** English / 日本語 in the top bar. Each option is written in its own language, so anyone can find theirs. */
'use client';
import { languages, type Lang, useLang } from './lang-store';
import { useT } from './translate';

const names: Record<Lang, string> = { en: 'English', ja: '日本語' };

export function LanguageSwitch() {
  const lang = useLang((s) => s.lang);
  const setLang = useLang((s) => s.setLang);
  const t = useT();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {languages.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className={l === lang ? 'lang-option lang-option--on' : 'lang-option'}
          aria-pressed={l === lang}
          onClick={() => setLang(l)}
          data-testid={`lang-${l}`}
        >
          {names[l]}
        </button>
      ))}
    </div>
  );
}
