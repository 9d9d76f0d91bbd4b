/**
 * Frames that read well: danfo DataFrames (or plain rows) rendered as an HTML
 * table and as aligned text, with full column names, numbers at a sensible
 * precision, and the first and last rows plus a row count for long frames.
 * Pure string rendering (no danfo import, no tslab): `src/display/frames.ts`
 * sends the result to a notebook. Every name and cell is escaped.
 */
import { inspect } from 'node:util';
import { escapeHtml } from './escape';

/** What the renderers read of a danfo DataFrame or Series (duck-typed, so danfo is never loaded here). */
export interface FrameLike {
  columns?: ReadonlyArray<string> | string;
  values: ReadonlyArray<unknown>;
  index?: ReadonlyArray<string | number>;
}

/** A frame to render: a danfo DataFrame or Series, or rows of plain objects. */
export type FrameInput = FrameLike | ReadonlyArray<object>;

/** Options of `frameHtml` and `frameText`. */
export interface FrameOptions {
  /** Frames with at most this many rows are shown whole (default 20). */
  maxRows?: number;
  /** Rows shown from the top and from the bottom of a longer frame (default 5 each). */
  head?: number;
  tail?: number;
  /** Significant digits of non-integer numbers (default 6, between 1 and 17). */
  digits?: number;
  /** Columns to show, in order (default: all). */
  columns?: ReadonlyArray<string>;
  /** Show the index (danfo's row labels; row numbers for plain rows) as the first column (default true). */
  index?: boolean;
  /** A caption above the table. */
  title?: string;
}

/** A frame reduced to what is shown: column names, index labels and cells of the kept rows, the elision point. */
interface Table {
  columns: string[];
  index: string[];
  cells: string[][];
  /** Per column: true when every shown value is a number (right-aligned). */
  numeric: boolean[];
  /** Rows before the elision mark, or -1 when the frame is shown whole. */
  cut: number;
  rows: number;
}

function checkCount(where: string, name: string, v: number | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${where}: ${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
  return v;
}

/**
 * A number as a person reads it: integers exactly, others to `digits`
 * significant digits without trailing zeros, in fixed notation from 1e-4 up to
 * 1e15 and in exponent notation beyond.
 */
export function formatNumber(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (Number.isInteger(v) && abs < 1e15) return String(v);
  if (abs === 0) return '0';
  if (abs < 1e-4 || abs >= 1e15) {
    const [mantissa, exponent] = v.toExponential(digits - 1).split('e');
    return `${trimZeros(mantissa)}e${exponent}`;
  }
  const decimals = Math.min(20, Math.max(0, digits - 1 - Math.floor(Math.log10(abs))));
  const s = trimZeros(v.toFixed(decimals));
  return s === '-0' ? '0' : s;
}

/** "1.500" -> "1.5", "2.000" -> "2"; strings without a decimal point are left alone. */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** One cell as text: numbers at `digits`, arrays as `[a, b]`, null as `null`, a missing cell as nothing. */
export function formatCell(v: unknown, digits = 6): string {
  if (typeof v === 'number') return formatNumber(v, digits);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `[${Array.from(v as ArrayLike<unknown>, (x) => formatCell(x, digits)).join(', ')}]`;
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** Whether an input is a list of plain rows rather than a danfo frame. */
function isRows(input: FrameInput): input is ReadonlyArray<object> {
  return Array.isArray(input);
}

/** The columns, index and raw row values of an input. */
function unpack(input: FrameInput, where: string): { columns: string[]; index: Array<string | number>; values: unknown[][] } {
  if (isRows(input)) {
    const columns: string[] = [];
    const seen = new Set<string>();
    for (const r of input) {
      if (r === null || typeof r !== 'object') throw new TypeError(`${where}: rows must be objects, got ${r === null ? 'null' : typeof r}`);
      for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), columns.push(k));
    }
    return { columns, index: input.map((_, i) => i), values: input.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])) };
  }
  if (input === null || typeof input !== 'object' || !Array.isArray(input.values)) {
    throw new TypeError(`${where}: expected a danfo DataFrame or Series, or an array of row objects`);
  }
  const values = input.values as unknown[];
  const is2d = values.length > 0 ? Array.isArray(values[0]) : Array.isArray(input.columns) && input.columns.length !== 1;
  const rows = is2d ? (values as unknown[][]) : values.map((v) => [v]);
  let columns: string[];
  if (Array.isArray(input.columns)) columns = input.columns.map(String);
  else if (typeof input.columns === 'string') columns = [input.columns];
  else columns = rows.length > 0 ? rows[0].map((_, k) => String(k)) : [];
  // A Series names itself in `columns` (one name); anything else is a shape mismatch.
  if (!is2d && columns.length !== 1) columns = ['value'];
  const index = Array.isArray(input.index) ? [...input.index] : rows.map((_, i) => i);
  return { columns, index, values: rows };
}

/** The shown part of a frame, as strings. */
function tabulate(input: FrameInput, options: FrameOptions, where: string): Table {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${where}: options must be an object`);
  if (options.title !== undefined && typeof options.title !== 'string') throw new TypeError(`${where}: options.title must be text, got ${typeof options.title}`);
  if (options.columns !== undefined && !(Array.isArray(options.columns) && options.columns.every((c) => typeof c === 'string'))) {
    throw new TypeError(`${where}: options.columns must be a list of column names`);
  }
  const maxRows = checkCount(where, 'maxRows', options.maxRows, 20, 0, 1e6);
  const head = checkCount(where, 'head', options.head, 5, 0, 1e6);
  const tail = checkCount(where, 'tail', options.tail, 5, 0, 1e6);
  const digits = checkCount(where, 'digits', options.digits, 6, 1, 17);
  const { columns: all, index, values } = unpack(input, where);
  let pick = all.map((_, k) => k);
  if (options.columns) {
    const unknown = options.columns.filter((c) => !all.includes(c));
    if (unknown.length > 0) throw new RangeError(`${where}: unknown column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')}; the frame has ${all.join(', ')}`);
    pick = options.columns.map((c) => all.indexOf(c));
  }
  const n = values.length;
  const whole = n <= maxRows || head + tail >= n;
  const kept = whole ? values.map((_, i) => i) : [...Array.from({ length: head }, (_, i) => i), ...Array.from({ length: tail }, (_, i) => n - tail + i)];
  const numeric = pick.map((k) => kept.length > 0 && kept.every((i) => typeof values[i][k] === 'number'));
  return {
    columns: pick.map((k) => all[k]),
    index: kept.map((i) => formatCell(index[i], digits)),
    cells: kept.map((i) => pick.map((k) => formatCell(values[i][k], digits))),
    numeric,
    cut: whole ? -1 : head,
    rows: n,
  };
}

/** "100 rows × 19 columns" */
function shapeLine(t: Table): string {
  return `${t.rows} row${t.rows === 1 ? '' : 's'} × ${t.columns.length} column${t.columns.length === 1 ? '' : 's'}`;
}

/**
 * A frame as an HTML table (pandas' `dataframe` class, so Jupyter styles it):
 * every column with its full name, numbers right-aligned at `digits`
 * significant digits, and for a frame longer than `maxRows` its first `head`
 * and last `tail` rows around a "…" row, with the row count underneath.
 * Every name and cell is HTML-escaped.
 */
export function frameHtml(input: FrameInput, options: FrameOptions = {}): string {
  const t = tabulate(input, options, 'frameHtml');
  const showIndex = options.index ?? true;
  const right = ' style="text-align: right;"';
  const th = (s: string, style = '') => `<th${style}>${escapeHtml(s)}</th>`;
  const head = `<tr>${showIndex ? '<th></th>' : ''}${t.columns.map((c, k) => th(c, t.numeric[k] ? right : '')).join('')}</tr>`;
  const body: string[] = [];
  const ellipsis = `<tr>${showIndex ? '<th>…</th>' : ''}${t.columns.map(() => '<td>…</td>').join('')}</tr>`;
  t.cells.forEach((row, r) => {
    if (r === t.cut) body.push(ellipsis);
    const cells = row.map((c, k) => `<td${t.numeric[k] ? right : ''}>${escapeHtml(c)}</td>`).join('');
    body.push(`<tr>${showIndex ? th(t.index[r]) : ''}${cells}</tr>`);
  });
  if (t.cut === t.cells.length) body.push(ellipsis);
  const title = options.title === undefined ? '' : `<p><strong>${escapeHtml(options.title)}</strong></p>\n`;
  return (
    `<div class="cv-frame">\n${title}<table class="dataframe" border="1">\n<thead>\n${head}\n</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>\n` +
    `<p>${escapeHtml(shapeLine(t))}</p>\n</div>`
  );
}

/**
 * A frame as aligned plain text (the same rows and numbers as `frameHtml`):
 * full column names, numeric columns right-aligned, "…" where rows are left
 * out, and the row count on the last line.
 */
export function frameText(input: FrameInput, options: FrameOptions = {}): string {
  const t = tabulate(input, options, 'frameText');
  const showIndex = options.index ?? true;
  const header = [...(showIndex ? [''] : []), ...t.columns];
  const right = [...(showIndex ? [false] : []), ...t.numeric];
  const rows = t.cells.map((row, r) => [...(showIndex ? [t.index[r]] : []), ...row]);
  const widths = header.map((h, k) => Math.max(h.length, 1, ...rows.map((row) => row[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => (right[k] ? c.padStart(widths[k]) : c.padEnd(widths[k])))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  const ellipsis = line(header.map((_, k) => (right[k] ? '…'.padStart(widths[k]) : '…')));
  rows.forEach((row, r) => {
    if (r === t.cut) out.push(ellipsis);
    out.push(line(row));
  });
  if (t.cut === rows.length) out.push(ellipsis);
  if (options.title !== undefined) out.unshift(options.title);
  out.push(`[${shapeLine(t)}]`);
  return out.join('\n');
}

/**
 * Makes danfo's DataFrame and Series print as `frameText` under
 * `util.inspect` / `console.log`, which is how tslab shows a cell's last value:
 * evaluating `rdf.head(3)` then shows a table instead of danfo's internals.
 * Idempotent; `.print()` keeps danfo's own format.
 */
export function readableInspect(dfd: { DataFrame: Function; Series: Function }): void {
  // Patched at the root of each class chain (danfo's NDframe): operations such as
  // `round` return danfo's base DataFrame, not the Node subclass one constructs.
  const roots = new Set<object>();
  for (const cls of [dfd.DataFrame, dfd.Series]) {
    let proto: object = cls.prototype as object;
    for (let up = Object.getPrototypeOf(proto); up && up !== Object.prototype; up = Object.getPrototypeOf(up)) proto = up;
    roots.add(proto);
  }
  for (const proto of roots) {
    if (Object.prototype.hasOwnProperty.call(proto, inspect.custom)) continue;
    Object.defineProperty(proto, inspect.custom, {
      value: function (this: FrameLike) {
        return frameText(this);
      },
      configurable: true,
      writable: true,
    });
  }
}
