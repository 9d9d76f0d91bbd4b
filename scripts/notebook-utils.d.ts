// Types of scripts/notebook-utils.js, for the TypeScript tests.

/** A notebook as parsed JSON (nbformat 4). */
export interface Notebook {
  cells: Array<{ cell_type: string; source: string | string[]; outputs?: any[]; execution_count?: number | null; metadata?: any }>;
  metadata: any;
  nbformat: number;
  nbformat_minor: number;
}

/** An error found in an executed notebook. */
export interface NotebookError {
  index: number;
  ename: string;
  evalue: string;
  stderr: string;
  source: string;
}

export const FIGURE_CLASS: string;
export function notebookFiles(dir: string): string[];
export function readNotebook(file: string): Notebook;
export function text(v: unknown): string;
export function figureCount(nb: Notebook | string): number;
export function figuresPerCell(nb: Notebook | string): Array<{ index: number; count: number }>;
export function notebookErrors(nb: Notebook | string): NotebookError[];
export function abortedCells(nb: Notebook | string): number[];
export function describeError(e: NotebookError): string;
export function hasMath(nb: Notebook): boolean;
export function cleanlinessProblems(nb: Notebook): string[];
export function projectKernelspec(): { display_name: string; language: string; name: string };
export function cleanNotebook(nb: Notebook): Notebook;
export function writeFileAtomic(file: string, content: string): void;
