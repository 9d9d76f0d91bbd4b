/** Tabular output of runs: the rdf rows of the CLI, as CSV or JSON. */
import type { RunResult } from '../engine/core';
import { SCALAR_METRIC_NAMES } from '../analysis/metrics';
import type { Params } from '../models/v1/params';
import type { State } from '../models/v1/state';

/** A row of the CLI's output table. */
export type TableRow = Record<string, number | string | null>;

/**
 * One row per (run, timestep) at the last substep (the rdf; genesis excluded),
 * with the identifying columns, the swept parameters' values, then the metrics.
 */
export function rdfTable(
  results: ReadonlyArray<RunResult<State>>,
  paramsOf: (r: RunResult<State>) => Params,
  swept: ReadonlyArray<keyof Params>,
): { columns: string[]; rows: TableRow[] } {
  const columns = ['simulation', 'subset', 'run', 'timestep', ...swept, ...SCALAR_METRIC_NAMES];
  const rows: TableRow[] = [];
  for (const r of results) {
    const params = paramsOf(r);
    for (const m of r.metrics) {
      if (m.timestep === 0) continue;
      const row: TableRow = {};
      for (const c of columns) row[c] = c in m ? m[c] : (params[c as keyof Params] ?? null);
      rows.push(row);
    }
  }
  return { columns, rows };
}

function csvCell(v: number | string | null): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header line; empty cells for null (e.g. no candidate). */
export function toCsv(columns: ReadonlyArray<string>, rows: ReadonlyArray<TableRow>): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(','));
  return lines.join('\n') + '\n';
}

/** JSON array of row objects (Infinity and NaN become null, as JSON has neither). */
export function toJson(rows: ReadonlyArray<TableRow>): string {
  return JSON.stringify(rows, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
