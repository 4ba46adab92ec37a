/**
 * WCAG AA contrast (≥ 4.5:1 for normal text) of the editor's text colours on the backgrounds they are used on,
 * read from app/globals.css, so a lighter "muted" grey cannot creep back in. Formula: WCAG 2.1 relative luminance.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(path.resolve(__dirname, '../../app/globals.css'), 'utf8');

function cssVar(name: string): string {
  const m = css.match(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`));
  if (!m) throw new Error(`--${name} is not a #rrggbb colour in globals.css`);
  return m[1]!;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('contrast', () => {
  it('matches known WCAG values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('text colours reach 4.5:1 on their backgrounds', () => {
    const white = '#ffffff';
    const pairs: [string, string, string][] = [
      ['text on bg', cssVar('text'), cssVar('bg')],
      ['muted on panel', cssVar('muted'), cssVar('panel')],
      ['muted on bg', cssVar('muted'), cssVar('bg')],
      ['muted on the skipped badge / muted message (#f1f5f9)', cssVar('muted'), '#f1f5f9'],
      ['muted on warn-soft notice', cssVar('muted'), cssVar('warn-soft')],
      ['muted on error-soft notice', cssVar('muted'), cssVar('error-soft')],
      ['ok (run status done) on panel', cssVar('ok'), cssVar('panel')],
      ['warn (missing port) on white', cssVar('warn'), white],
      ['error (field errors) on white', cssVar('error'), white],
      ['accent (running status) on white', cssVar('accent'), white],
      ['white on accent (primary button, running badge)', white, cssVar('accent')],
      ['white on error (failed badge)', white, cssVar('error')],
    ];
    for (const [what, fg, bg] of pairs) expect(contrast(fg, bg), `${what}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  });
});
