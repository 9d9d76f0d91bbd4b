/**
 * The CLI's rows as text, one run at a time, so output is streamed as runs
 * finish: CSV (byte for byte as before), JSON Lines, or one JSON array.
 */
import type { MetricRow } from '../engine/core';
import { SCALAR_METRIC_NAMES } from '../analysis/metrics';
import { SCALAR_METRIC_NAMES_V3 } from '../analysis/metrics-v3';

/** Output formats, from the --out file's extension (CSV on stdout). */
export type OutputFormat = 'csv' | 'jsonl' | 'json' | 'parquet';

/** The format a file name asks for, or null when its extension is not one of ours. */
export function formatOf(file: string): OutputFormat | null {
  const m = /\.(csv|json|jsonl|ndjson|parquet)$/i.exec(file);
  if (!m) return null;
  const ext = m[1].toLowerCase();
  return ext === 'csv' ? 'csv' : ext === 'json' ? 'json' : ext === 'parquet' ? 'parquet' : 'jsonl';
}

/** The columns: identifiers, swept parameters, then the model's metrics. */
export function outputColumns(swept: ReadonlyArray<string>, model: 'v1' | 'v3' = 'v1'): string[] {
  return ['simulation', 'subset', 'run', 'timestep', ...swept, ...(model === 'v3' ? SCALAR_METRIC_NAMES_V3 : SCALAR_METRIC_NAMES)];
}

/** What the formatters read of a run: its metric rows (the rdf), nothing of its history. */
export interface RunRows {
  metrics: ReadonlyArray<MetricRow>;
}

type AnyParams = Readonly<Record<string, number>>;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A cell as JSON.stringify writes it, except that Infinity and NaN (which JSON lacks) become null. */
function jsonCell(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return v === null || v === undefined ? 'null' : JSON.stringify(v);
}

/** Turns runs into text in one format: `begin`, `run` for each run in job order, `end`. */
export class RowFormatter {
  rows = 0;
  // Rows are written by hand, not by JSON.stringify per row: the same bytes, several times faster.
  private readonly keys: string[];

  constructor(
    readonly format: Exclude<OutputFormat, 'parquet'>,
    readonly columns: ReadonlyArray<string>,
  ) {
    this.keys = columns.map((c) => JSON.stringify(c));
  }

  /** The text before any row. */
  begin(): string {
    if (this.format === 'csv') return `${this.columns.join(',')}\n`;
    return this.format === 'json' ? '[' : '';
  }

  /** The rows of one run (the rdf: each timestep's last substep, genesis excluded). */
  run(r: RunRows, params: AnyParams): string {
    let out = '';
    for (const m of r.metrics) {
      if (m.timestep === 0) continue;
      const value = (c: string): unknown => (c in m ? (m as Record<string, unknown>)[c] : (params[c] ?? null));
      if (this.format === 'csv') {
        out += `${this.columns.map((c) => csvCell(value(c))).join(',')}\n`;
      } else if (this.format === 'jsonl') {
        out += `{${this.columns.map((c, i) => `${this.keys[i]}:${jsonCell(value(c))}`).join(',')}}\n`;
      } else {
        // As JSON.stringify(rows, null, 2) lays out each element of the array.
        out += `${this.rows === 0 ? '\n' : ',\n'}  {\n${this.columns.map((c, i) => `    ${this.keys[i]}: ${jsonCell(value(c))}`).join(',\n')}\n  }`;
      }
      this.rows++;
    }
    return out;
  }

  /** The text after the last row. */
  end(): string {
    if (this.format !== 'json') return '';
    return this.rows === 0 ? ']\n' : '\n]\n';
  }
}
