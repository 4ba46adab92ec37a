/**
 * Translations: the Japanese catalogues cover every UI message, node type, port, parameter, enum option and
 * error code (and nothing stale); the message format interpolates and picks plurals; language detection.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { en } from '../../app/_i18n/en';
import { formatMessage, interpolate } from '../../app/_i18n/format';
import { ja } from '../../app/_i18n/ja';
import { detectLang } from '../../app/_i18n/lang-store';
import { categories } from '../../graph-nodes/core/define-node';
import { errorCatalogue, errorInfo, type ErrorCode } from '../../graph-nodes/core/errors';
import { portTypes, type PortType } from '../../graph-nodes/core/port-types';
import { jaErrors } from '../../graph-nodes/i18n/ja-errors';
import { jaCategories, jaNodes, jaPortTypes } from '../../graph-nodes/i18n/ja-nodes';
import { errorText, optionLabel, paramHelp, paramLabel, portText } from '../../graph-nodes/i18n/node-text';
import { jaPreviewTitles, jaTemplates } from '../../graph-nodes/i18n/ja-templates';
import { getDefinition, nodeDefinitions } from '../../graph-nodes/registry';
import { templates } from '../../graph-nodes/templates/index';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const forms = (m: string | { one: string; other: string }) => (typeof m === 'string' ? [m] : [m.one, m.other]);
const hasJapanese = (s: string) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(s);

describe('UI message catalogues', () => {
  it('ja has exactly the keys of en, each non-empty and using the same variables', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    for (const [key, enMsg] of Object.entries(en)) {
      const jaMsg = ja[key as keyof typeof en];
      const enVars = new Set(forms(enMsg).flatMap(placeholders));
      for (const f of forms(jaMsg)) {
        expect(f.trim(), key).not.toBe('');
        for (const v of placeholders(f)) expect(enVars.has(v), `${key}: {${v}} is not an English variable`).toBe(true);
      }
      // Every English variable (except count, implied by a plural's form) appears in the Japanese text too.
      const jaVars = new Set(forms(jaMsg).flatMap(placeholders));
      for (const v of enVars) if (!(v === 'count' && typeof enMsg !== 'string')) expect(jaVars.has(v), `${key}: ja lacks {${v}}`).toBe(true);
    }
  });
});

describe('t(): interpolation and plurals', () => {
  it('fills variables and keeps unknown placeholders visible', () => {
    expect(interpolate('Opened {what}.', { what: 'x' })).toBe('Opened x.');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
  it('picks one/other by count', () => {
    const m = { one: '{count} file', other: '{count} files' };
    expect(formatMessage(m, { count: 1 })).toBe('1 file');
    expect(formatMessage(m, { count: 0 })).toBe('0 files');
    expect(formatMessage(m, { count: 3 })).toBe('3 files');
    expect(formatMessage(en['params.fixBefore'], { count: 2 })).toBe('Fix these 2 values before running.');
    expect(formatMessage(ja['params.fixBefore'], { count: 2 })).toBe('実行する前に 2 件の値を直してください。');
  });
});

describe('language detection', () => {
  it('prefers the saved choice, then a ja* browser language, else English', () => {
    expect(detectLang('ja', ['en-US'])).toBe('ja');
    expect(detectLang('en', ['ja-JP'])).toBe('en');
    expect(detectLang(null, ['ja-JP', 'en'])).toBe('ja');
    expect(detectLang(null, ['de-DE', 'ja'])).toBe('ja');
    expect(detectLang('fr', ['en-US'])).toBe('en');
    expect(detectLang(null, [])).toBe('en');
  });
});

describe('Japanese node texts', () => {
  it('cover every node type, port, parameter and enum option, and nothing that no longer exists', () => {
    expect(Object.keys(jaNodes).sort()).toEqual(nodeDefinitions.map((d) => d.type).sort());
    for (const def of nodeDefinitions) {
      const j = jaNodes[def.type]!;
      expect(hasJapanese(j.title) || j.title === def.title, `${def.type}.title`).toBe(true);
      expect(hasJapanese(j.description), `${def.type}.description`).toBe(true);
      for (const side of ['inputs', 'outputs'] as const) {
        expect(Object.keys(j[side]).sort(), `${def.type}.${side}`).toEqual(Object.keys(def[side]).sort());
        for (const [name, spec] of Object.entries(def[side])) {
          const p = j[side][name]!;
          expect(p.label.trim(), `${def.type}.${side}.${name}`).not.toBe('');
          expect(p.description !== undefined, `${def.type}.${side}.${name}.description`).toBe(spec.description !== undefined);
        }
      }
      const schema = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, { description?: string; enum?: unknown[]; items?: { enum?: unknown[] } }>;
      };
      const props = schema.properties ?? {};
      expect(Object.keys(j.params).sort(), `${def.type}.params`).toEqual(Object.keys(props).sort());
      for (const [key, f] of Object.entries(props)) {
        const p = j.params[key]!;
        expect(hasJapanese(p.help), `${def.type}.params.${key}.help`).toBe(true);
        expect(p.label.trim(), `${def.type}.params.${key}.label`).not.toBe('');
        const values = (f.enum ?? f.items?.enum ?? []).map(String);
        expect(Object.keys(p.options ?? {}).sort(), `${def.type}.params.${key}.options`).toEqual([...values].sort());
      }
    }
  });

  it('categories and port types are translated', () => {
    expect(Object.keys(jaCategories).sort()).toEqual([...categories].sort());
    expect(Object.keys(jaPortTypes).sort()).toEqual(Object.keys(portTypes).sort());
    for (const t of Object.keys(portTypes) as PortType[]) expect(hasJapanese(jaPortTypes[t].meaning)).toBe(true);
  });

  it('the accessors return Japanese in ja and the definition in en', () => {
    const ae = getDefinition('autoencoder')!;
    expect(portText(ae, 'output', 'codes', 'ja').label).toBe('潜在表現');
    expect(portText(ae, 'output', 'codes', 'en').label).toBe('Latent codes');
    expect(paramLabel(ae, 'learningRate', 'en')).toBe('learningRate');
    expect(paramLabel(ae, 'learningRate', 'ja')).toBe('学習率');
    expect(paramHelp(ae, 'epochs', 'Passes over the training images', 'en')).toBe('Passes over the training images');
    expect(optionLabel(ae, 'loss', 'mse', 'ja')).toBe('平均二乗誤差（mse）');
    expect(optionLabel(ae, 'loss', 'mse', 'en')).toBe('mse');
  });
});

describe('Japanese error catalogue', () => {
  it('has every error code, with the same variables as the English message', () => {
    expect(Object.keys(jaErrors).sort()).toEqual(Object.keys(errorCatalogue).sort());
    for (const code of Object.keys(errorCatalogue) as ErrorCode[]) {
      // Probe which variables each message reads: fill every variable with a marker and look for it.
      const probe = new Proxy({}, { get: (_, k) => `<${String(k)}>`, has: () => true }) as Record<string, unknown>;
      const used = (s: string) => [...s.matchAll(/<(\w+)>/g)].map((m) => m[1]).sort();
      expect(used(jaErrors[code].message(probe)), code).toEqual(used(errorCatalogue[code].message(probe)));
      expect(hasJapanese(jaErrors[code].hint), code).toBe(true);
    }
  });

  it('re-words an ErrorInfo from its code and detail; a custom hint stays as thrown', () => {
    const info = errorInfo('MISSING_INPUT', { nodeId: 'roc-1', port: 'scores' });
    expect(info.detail).toEqual({ nodeId: 'roc-1', port: 'scores' });
    expect(errorText(info, 'en')).toEqual({ message: info.message, hint: info.hint });
    expect(errorText(info, 'ja').message).toBe('ノード "roc-1": 入力 "scores" が接続されていません。');
    expect(errorText(info, 'ja').hint).toBe('正しい型の出力をこの入力に接続してください。');
    const custom = errorInfo('KERNEL_FAILED', { nodeId: 'x', reason: 'boom', hint: 'Do this instead.' });
    expect(errorText(custom, 'ja')).toEqual({ message: 'ノード "x" が失敗しました: boom', hint: 'Do this instead.' });
    expect(structuredClone(info)).toEqual(info);
  });
});

describe('Japanese templates and preview titles', () => {
  it('every built-in template has a Japanese title and description', () => {
    expect(Object.keys(jaTemplates).sort()).toEqual(templates.map((t) => t.id).sort());
    for (const t of Object.values(jaTemplates)) expect(hasJapanese(t.title) && hasJapanese(t.description)).toBe(true);
  });

  it('every translated preview title is still sent by some kernel (none stale)', () => {
    const root = path.resolve(__dirname, '../../graph-nodes');
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('kernel.ts'))
      .map((f) => readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    for (const title of Object.keys(jaPreviewTitles)) expect(sources.includes(`'${title}'`), title).toBe(true);
  });
});
