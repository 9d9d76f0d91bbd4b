// Types of scripts/notebook-test-run.js, for the TypeScript tests.
import type { NotebookError } from './notebook-utils';

/** One notebook in run-notebooks' --json summary. */
export interface NotebookResult {
  name: string;
  source: string;
  ok: boolean;
  seconds: number;
  executeSeconds: number;
  htmlSeconds: number;
  /** Time spent typesetting the report's math (scripts/report-math.js). */
  mathSeconds: number;
  /** Formulas typeset in the report. */
  formulas: number;
  /** What went wrong without failing the notebook (e.g. math left as TeX). */
  warnings: string[];
  notebook: string | null;
  html: string | null;
  notebookBytes?: number;
  htmlBytes?: number;
  figures: number;
  figuresPerCell?: Array<{ index: number; count: number }>;
  errors: NotebookError[];
  aborted: number[];
  failure?: string;
}

/** The shared execution of notebooks/*.ipynb. */
export interface NotebookRun {
  dir: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  seconds: number;
  summary: { ok: boolean; seconds: number; results: NotebookResult[] } | null;
  reused: boolean;
}

export function executeNotebooksOnce(options?: { build?: boolean }): Promise<NotebookRun>;
