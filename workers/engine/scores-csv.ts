/** A run's Scores outputs as one CSV: one row per image (image, label), one column per scorer node. Used by the CLI and the app. */
import type { ScoresValue } from '../../graph-nodes/core/kernel-types';
import type { RunResult } from './run';

export type ScorerColumn = { column: string; value: ScoresValue };

export function collectScores(result: RunResult): ScorerColumn[] {
  const columns: ScorerColumn[] = [];
  for (const [nodeId, r] of result.nodes) {
    if (r.status !== 'done' && r.status !== 'cached') continue;
    for (const [port, value] of Object.entries(r.entry.outputs)) {
      if (value.kind === 'Scores') columns.push({ column: port === 'scores' ? nodeId : `${nodeId}.${port}`, value });
    }
  }
  return columns;
}

export function scoresCsv(columns: ScorerColumn[]): string {
  const rows = new Map<string, { label: number; scores: Map<string, number> }>();
  for (const { column, value } of columns) {
    value.names.forEach((name, i) => {
      const row = rows.get(name) ?? { label: value.labels[i] ?? -1, scores: new Map() };
      row.scores.set(column, value.scores[i]!);
      rows.set(name, row);
    });
  }
  const header = ['image', 'label', ...columns.map((c) => c.column)];
  const lines = [header.map(csvField).join(',')];
  for (const [name, row] of rows) {
    lines.push([csvField(name), String(row.label), ...columns.map((c) => (row.scores.has(c.column) ? String(row.scores.get(c.column)) : ''))].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
