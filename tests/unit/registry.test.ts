import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../graph-nodes/core/define-node';
import { portTypes } from '../../graph-nodes/core/port-types';
import { kernels } from '../../graph-nodes/kernels';
import { nodeDefinitions } from '../../graph-nodes/registry';

describe('node registry', () => {
  it('lists the same node types, in the same order, in registry.ts and kernels.ts', () => {
    expect(kernels.map((k) => k.definition.type)).toEqual(nodeDefinitions.map((d) => d.type));
    kernels.forEach((k, i) => expect(k.definition).toBe(nodeDefinitions[i]));
  });

  it('has unique kebab-case ids matching their folder names', () => {
    const ids = nodeDefinitions.map((d) => d.type);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(existsSync(new URL(`../../graph-nodes/${id}/definition.ts`, import.meta.url)), id).toBe(true);
    }
  });

  it('gives every node a description, valid port types and params that parse from defaults', () => {
    for (const d of nodeDefinitions) {
      expect(d.description.length, d.type).toBeGreaterThan(40);
      for (const spec of [...Object.values(d.inputs), ...Object.values(d.outputs)]) expect(portTypes[spec.type], d.type).toBeDefined();
      expect(() => defaultParams(d), d.type).not.toThrow();
      if (d.cache === 'seeded') expect(d.params.shape, d.type).toHaveProperty('seed');
      // Every param has help text for the generated form.
      for (const [name, field] of Object.entries(d.params.shape)) {
        expect((field as { description?: string }).description, `${d.type}.${name}`).toBeTruthy();
      }
    }
  });
});
