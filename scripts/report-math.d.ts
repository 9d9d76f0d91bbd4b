// Types of scripts/report-math.js, for the TypeScript tests.
import type { Browser } from 'playwright-core';

/** The system's MathJax 2 folder (holding MathJax.js), or null. */
export function findMathjax(): string | null;
/** A Chromium / Chrome executable, or null. */
export function findChromium(): string | null;
/** Launches the system Chromium headless; rejects with a one-line message when there is none. */
export function launchChromium(): Promise<Browser>;
/** The inner-HTML offsets of the rendered markdown blocks of a report that hold TeX. */
export function mathBlocks(html: string): Array<{ start: number; end: number }>;
/** Typesets the TeX of a report's markdown in place. */
export function renderReportMath(
  file: string,
  options?: { browser?: Browser | (() => Promise<Browser>); mathjaxDir?: string | null },
): Promise<{ formulas: number; texErrors: string[]; seconds: number }>;
export const MATHJAX_HINT: string;
export const CHROMIUM_HINT: string;
export const STYLE_ID: string;
