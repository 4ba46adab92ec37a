/**
 * Parameter panel for the selected node, generated from its zod schema (via z.toJSONSchema, input side):
 * numbers with bounds, enums as selects, booleans as checkboxes, number lists as "8,16,32", enum lists as
 * checkbox groups. Values are validated with the same parseParams the worker uses; problems show inline.
 * Names, help and enum options come in the UI language (graph-nodes/i18n); zod words the issues (lang-store).
 */
'use client';
import { useMemo } from 'react';
import { z } from 'zod';
import { type AnyNodeDefinition, parseParams } from '../../graph-nodes/core/define-node';
import { nodeDescription, nodeTitle, optionLabel, paramHelp, paramLabel } from '../../graph-nodes/i18n/node-text';
import { getDefinition } from '../../graph-nodes/registry';
import { type TFunction, useLangValue, useT } from '../_i18n/translate';
import type { AppNode } from './doc';
import { FolderPicker } from './folder-picker';
import { PortConnections } from './port-connections';
import { selectSelectedNode, useEditor } from './store';
import { useParamLock } from './storage/locks';

type JsonField = {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  description?: string;
  default?: unknown;
  items?: JsonField;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
};

const schemaCache = new Map<string, Record<string, JsonField>>();

function fieldsOf(def: AnyNodeDefinition): Record<string, JsonField> {
  let fields = schemaCache.get(def.type);
  if (!fields) {
    const json = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonField> };
    fields = json.properties ?? {};
    schemaCache.set(def.type, fields);
  }
  return fields;
}

export function ParamPanel() {
  const node = useEditor(selectSelectedNode);
  const t = useT();
  if (!node) {
    return (
      <div className="panel-empty muted" data-testid="param-panel-empty">
        {t('params.selectNode')}
      </div>
    );
  }
  return <ParamForm key={node.id} node={node} />;
}

function ParamForm({ node }: { node: AppNode }) {
  const def = getDefinition(node.data.type);
  const setParams = useEditor((s) => s.setParams);
  const setLabel = useEditor((s) => s.setLabel);
  const setDisabled = useEditor((s) => s.setDisabled);
  const params = node.data.params;
  const lockFor = useParamLock(node.id);
  const lang = useLangValue();
  const t = useT();
  // lang is a dependency: zod words its issue messages in the current language.
  const result = useMemo(() => (def ? parseParams(def, params) : null), [def, params, lang]);
  if (!def || !result) return <div className="panel-empty">{t('params.unknownType', { type: node.data.type })}</div>;
  const title = nodeTitle(def, lang);

  const fields = fieldsOf(def);
  const issues = result.ok ? [] : result.issues;
  const issueFor = (key: string) => issues.filter((i) => i.field === key || i.field.startsWith(`${key}.`));
  const set = (key: string, value: unknown) => setParams(node.id, { ...params, [key]: value });

  return (
    <form className="param-form" data-testid="param-form" aria-label={t('params.formLabel', { id: node.id })} onSubmit={(e) => e.preventDefault()}>
      <div className="param-head">
        <h2>{title}</h2>
        <code>{node.id}</code>
      </div>
      <p className="param-desc">{nodeDescription(def, lang)}</p>
      {def.reference ? <p className="muted small">{t('params.reference', { reference: def.reference })}</p> : null}

      <label className="field">
        <span className="field-name">{t('params.label')}</span>
        <input
          type="text"
          value={node.data.label ?? ''}
          placeholder={title}
          maxLength={100}
          onChange={(e) => setLabel(node.id, e.target.value)}
          data-testid="param-label"
        />
      </label>

      <div className="field field--check">
        <label>
          <input
            type="checkbox"
            checked={node.data.disabled === true}
            onChange={(e) => setDisabled([node.id], e.target.checked)}
            data-testid="node-disabled"
          />
          <span className="field-name">{t('params.disabled')}</span>
        </label>
        <p className="help">{t('params.disabledHelp')}</p>
      </div>

      <PortConnections node={node} def={def} />

      {Object.keys(fields).length === 0 ? <p className="muted small">{t('params.none')}</p> : null}

      {Object.entries(fields).map(([key, f]) => {
        const fieldIssues = issueFor(key);
        const value = key in params ? params[key] : f.default;
        // Template locks: hidden params are left out; locked ones are shown in a disabled fieldset.
        const lock = lockFor(key);
        if (lock === 'hidden') return null;
        const field = (
          <Field
            key={key}
            name={key}
            label={paramLabel(def, key, lang)}
            help={paramHelp(def, key, f.description, lang)}
            option={(v) => optionLabel(def, key, v, lang)}
            t={t}
            field={f}
            value={value}
            invalid={fieldIssues.length > 0}
            onChange={(v) => set(key, v)}
          >
            {fieldIssues.map((i, n) => (
              <div key={n} className="field-error" role="alert" data-testid={`param-error-${key}`}>
                {i.message}
              </div>
            ))}
          </Field>
        );
        return lock === 'locked' ? (
          <fieldset key={key} disabled className="field-locked" data-testid={`param-locked-${key}`} title={t('params.lockedTitle')}>
            {field}
          </fieldset>
        ) : (
          field
        );
      })}

      {(def.type === 'image-set' && params.source === 'folder') || def.type === 'pretrained-cnn' ? (
        <FolderPicker path={typeof params.path === 'string' ? params.path : ''} onPath={(p) => set('path', p)} />
      ) : null}

      {issues.length > 0 ? (
        <p className="form-blocked" data-testid="params-invalid">
          {t('params.fixBefore', { count: issues.length })}
        </p>
      ) : null}
    </form>
  );
}

type FieldProps = {
  name: string;
  /** Shown name: the key itself in English; in Japanese a Japanese name, with the key beside it (for --set). */
  label: string;
  help: string | undefined;
  option(value: string): string;
  t: TFunction;
  field: JsonField;
  value: unknown;
  invalid: boolean;
  onChange(v: unknown): void;
  children: React.ReactNode;
};

function Field({ name, label, help, option, t, field, value, invalid, onChange, children }: FieldProps) {
  const id = `param-${name}`;
  const helpId = `${id}-help`;
  const common = {
    id,
    'aria-invalid': invalid,
    'aria-describedby': help ? helpId : undefined,
    'data-testid': id,
    className: invalid ? 'invalid' : undefined,
  };
  const shownName =
    label === name ? (
      name
    ) : (
      <>
        {label} <code className="field-key" lang="en">{name}</code>
      </>
    );
  const helpText = help ? (
    <p className="help" id={helpId}>
      {help}
    </p>
  ) : null;

  if (field.type === 'boolean') {
    return (
      <div className="field field--check">
        <label>
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span className="field-name">{shownName}</span>
        </label>
        {helpText}
        {children}
      </div>
    );
  }

  if (field.type === 'array' && field.items?.enum) {
    const selected = Array.isArray(value) ? value : [];
    return (
      <fieldset className={`field field--set${invalid ? ' invalid' : ''}`} data-testid={id} aria-describedby={help ? helpId : undefined}>
        <legend className="field-name">{shownName}</legend>
        <div className="checks">
          {field.items.enum.map((opt) => (
            <label key={String(opt)}>
              <input
                type="checkbox"
                checked={selected.includes(opt)}
                onChange={(e) => onChange(e.target.checked ? [...selected, opt] : selected.filter((x) => x !== opt))}
              />
              {option(String(opt))}
            </label>
          ))}
        </div>
        {helpText}
        {children}
      </fieldset>
    );
  }

  let input: React.ReactNode;
  if (field.enum) {
    input = (
      <select {...common} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
        {field.enum.map((opt) => (
          <option key={String(opt)} value={String(opt)}>
            {option(String(opt))}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'number' || field.type === 'integer') {
    const min = field.minimum ?? field.exclusiveMinimum;
    input = (
      <input
        type="number"
        {...common}
        value={typeof value === 'number' || typeof value === 'string' ? value : ''}
        min={min}
        max={field.maximum}
        step={field.type === 'integer' ? 1 : 'any'}
        onChange={(e) => onChange(toNumber(e.target.value))}
      />
    );
  } else if (field.type === 'array' && (field.items?.type === 'number' || field.items?.type === 'integer')) {
    input = (
      <input
        type="text"
        {...common}
        inputMode="decimal"
        value={Array.isArray(value) ? value.join(',') : String(value ?? '')}
        placeholder={t('params.listPlaceholder')}
        onChange={(e) => onChange(toNumberList(e.target.value))}
      />
    );
  } else {
    input = (
      <input
        type="text"
        {...common}
        value={typeof value === 'string' ? value : JSON.stringify(value ?? '')}
        maxLength={field.maxLength}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }

  return (
    <div className="field">
      <label htmlFor={id} className="field-name">
        {shownName}
        {bounds(field)}
      </label>
      {input}
      {helpText}
      {children}
    </div>
  );
}

function bounds(f: JsonField): React.ReactNode {
  const lo = f.minimum ?? (f.exclusiveMinimum !== undefined ? `>${f.exclusiveMinimum}` : undefined);
  const hi = f.maximum ?? f.items?.maximum;
  if (lo === undefined && hi === undefined) return null;
  return (
    <span className="bounds">
      {lo ?? '…'} – {hi ?? '…'}
    </span>
  );
}

/** Keep what the user typed when it is not a number, so the validator can point at it. */
function toNumber(raw: string): unknown {
  if (raw.trim() === '') return raw;
  const n = Number(raw);
  return Number.isNaN(n) ? raw : n;
}

function toNumberList(raw: string): unknown {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '' || Number.isNaN(Number(p)))) return raw;
  return parts.map(Number);
}
