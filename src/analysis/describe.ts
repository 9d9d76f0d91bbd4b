/**
 * Descriptions of the model as plain rows, for notebooks and reports: the
 * parameters (value, default, allowed range, meaning), the blocks (what each
 * does, its policies and variables) and a Markdown table of any rows, so a
 * notebook shows the model from code instead of retyping it.
 */
import type { PartialStateUpdateBlock } from '../engine/types';
import { describeRange } from '../engine/validate';
import { BLOCKS } from '../models/v1/blocks';
import { triggerThreshold } from '../models/v1/maths';
import { DEFAULT_PARAMS, makeParams, PARAM_NAMES, PARAM_RANGES, type Params } from '../models/v1/params';
import { escapeMarkdown } from './escape';

/** What each parameter means (the doc lines of `Params`, MODEL_SPEC §3). */
export const PARAM_MEANINGS: Readonly<Record<keyof Params, string>> = Object.freeze({
  n: 'participants at genesis',
  m: 'proposals at genesis',
  initial_funds: 'funding pool at genesis',
  expected_supply: 'scale of genesis holdings: each is Exp(expected_supply / n)',
  supply: 'token supply used by the trigger threshold and by arrivals’ holdings',
  sentiment: 'community sentiment in [0, 1]: drives arrivals, engagement and funding inflow',
  beta: 'maximum share of the funds a proposal may request (the trigger is infinite above it)',
  rho: 'trigger tuning: scales the conviction a proposal needs',
  alpha: 'conviction decay per timestep (memory): conviction = tokens + alpha · previous',
  sensitivity: 'support cutoff factor: an engaged participant supports candidates above sensitivity · its best affinity',
  tmin: 'minimum age (timesteps) before a proposal can pass (it must be strictly older)',
  min_supp: 'minimum tokens staked for a candidate to stay alive; below it the candidate is killed',
  base_completion_rate: 'completion odds of funded work: 1 / (base_completion_rate + ln(grant)) per timestep',
  base_failure_rate: 'failure odds of funded work: 1 / (base_failure_rate + ln(grant)) per timestep',
  gain: 'holdings change rate of an engaged participant: gain · (sentiment − sensitivity)',
});

/** One parameter: its value (defaults with `overrides`), default, allowed range and meaning. */
export interface ParameterRow {
  parameter: keyof Params;
  value: number;
  default: number;
  range: string;
  meaning: string;
}

/** Options of `parameterTable`. */
export interface ParameterTableOptions {
  /** Only the parameters whose value differs from its default (default false). */
  changed?: boolean;
}

/** The parameter table: every parameter in declaration order (or only the changed ones), `overrides` validated and applied to the defaults. */
export function parameterTable(overrides: Partial<Params> = {}, options: ParameterTableOptions = {}): ParameterRow[] {
  const params = makeParams(overrides);
  const names = options.changed ? PARAM_NAMES.filter((name) => params[name] !== DEFAULT_PARAMS[name]) : PARAM_NAMES;
  return names.map((name) => ({
    parameter: name,
    value: params[name],
    default: DEFAULT_PARAMS[name],
    range: describeRange(PARAM_RANGES[name]),
    meaning: PARAM_MEANINGS[name],
  }));
}

/** The trigger of one request: its share of the funds, the conviction it needs, and the steady stake that gets there. */
export interface TriggerRow {
  requested: number;
  share_of_funds: number;
  /** `rho * supply / (beta - share)^2`, or Infinity when the share is at least beta (MODEL_SPEC §5). */
  trigger: number;
  /** Tokens staked every timestep whose conviction limit, stake / (1 - alpha), equals the trigger: any less never passes. */
  stake_to_pass: number;
}

/** The trigger threshold of each request against `funds` (default: the genesis funds), with the defaults and `overrides`. */
export function triggerTable(requests: ReadonlyArray<number>, overrides: Partial<Params> = {}, funds?: number): TriggerRow[] {
  const p = makeParams(overrides);
  const f = funds ?? p.initial_funds;
  return requests.map((requested) => {
    const trigger = triggerThreshold(requested, f, p.supply, p.beta, p.rho);
    return { requested, share_of_funds: requested / f, trigger, stake_to_pass: trigger * (1 - p.alpha) };
  });
}

/** One partial state update block: its position (from 1), what it does, its policies and its state updates, in call order. */
export interface BlockRow {
  block: number;
  description: string;
  /** The policies' names, in call order. */
  policies: string;
  /** Each state update as `function → variable`, in call order. */
  state_updates: string;
}

/** What `blockTable` reads of a block (any model's `PartialStateUpdateBlock` fits). */
export type DescribedBlock = Pick<PartialStateUpdateBlock<unknown, unknown>, 'description'> & { policies: object; variables: object };

/** The name a function was declared with, or `(anonymous)`. */
function functionName(f: unknown): string {
  return typeof f === 'function' && f.name ? f.name : '(anonymous)';
}

/**
 * The block table of a model (default: the v1 model's four blocks), read from the
 * blocks themselves. Strings are returned as written: `markdownTable` and
 * `frameHtml` escape them when they are shown.
 */
export function blockTable(blocks: ReadonlyArray<DescribedBlock> = BLOCKS): BlockRow[] {
  return blocks.map((b, k) => ({
    block: k + 1,
    description: b.description ?? '',
    policies: Object.keys(b.policies).join(', '),
    state_updates: Object.entries(b.variables)
      .map(([variable, update]) => `${functionName(update)} → ${variable}`)
      .join(', '),
  }));
}

/** Options of `markdownTable`. */
export interface MarkdownTableOptions {
  /** Significant digits of numbers whose plain form is longer than 12 characters (default 6). */
  digits?: number;
}

/** A cell as Markdown text: long numbers shortened, arrays joined, every string escaped for Markdown and HTML. */
function markdownCell(v: unknown, digits: number): string {
  if (typeof v === 'number') return String(v).length <= 12 || !Number.isFinite(v) ? String(v) : String(+v.toPrecision(digits));
  if (Array.isArray(v)) return v.map((x) => markdownCell(x, digits)).join(', ');
  if (v === null || v === undefined) return '';
  return escapeMarkdown(String(v));
}

/**
 * A Markdown table of rows (columns: the given ones, or the first row's keys), e.g. for
 * `tslab.display.markdown`. Column names and string cells are escaped, so no text
 * supplied by a user can add markup, run a script or break the table.
 */
export function markdownTable(rows: ReadonlyArray<object>, columns?: ReadonlyArray<string>, options: MarkdownTableOptions = {}): string {
  if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null)) {
    throw new TypeError('markdownTable: rows must be an array of row objects');
  }
  if (columns !== undefined && !(Array.isArray(columns) && columns.every((c) => typeof c === 'string'))) {
    throw new TypeError('markdownTable: columns must be a list of column names');
  }
  if (typeof options !== 'object' || options === null) throw new TypeError('markdownTable: options must be an object');
  const cols = columns ?? (rows.length > 0 ? Object.keys(rows[0]) : []);
  if (cols.length === 0) return '';
  const digits = options.digits ?? 6;
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [line(cols.map((c) => markdownCell(c, digits))), line(cols.map(() => '---'))];
  for (const r of rows) out.push(line(cols.map((c) => markdownCell((r as Record<string, unknown>)[c], digits))));
  return out.join('\n');
}
