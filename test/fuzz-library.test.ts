/**
 * Fuzzing the public library (issue 8, E10): generated bad input, from the
 * project's seeded generator, for each argument of the entry points a
 * notebook user calls. Every case must either work or throw an Error whose
 * message names where it comes from (`simulate: …`, `config: …`) — never a
 * raw TypeError from deep inside ("Cannot read properties of undefined"), never
 * a hang or an abort. Sizes are bounded by the functions themselves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameHtml, frameText } from '../src/analysis/frames';
import { lastSubstep, toRows } from '../src/analysis/dataframes';
import { quantilesOverTime } from '../src/analysis/quantiles';
import { markdownTable } from '../src/analysis/describe';
import { runRng } from '../src/engine/rng';
import type { Rng } from '../src/engine/types';
import {
  affinityHeatmap,
  fundsRequestedBar,
  holdingsHistogram,
  influenceNetwork,
  networkSnapshot,
  quantilePlot,
  statusCounts,
  triggerSurface,
} from '../src/figures';
import { networkAt, simulate } from '../src/models/v1';
import { simulateV3 } from '../src/models/v3';
import { springLayout } from '../src/figures/layout';
import { alphaFromHalfLife, convictionResponse } from '../src/analysis/alpha';

const CASES = 2500;
const pick = <T>(rng: Rng, xs: ReadonlyArray<T>): T => xs[Math.floor(rng() * xs.length)];

/** A value a careless or hostile caller might pass. */
function badValue(rng: Rng): unknown {
  const deep: Record<string, unknown> = {};
  let at = deep;
  for (let i = 0; i < 200; i++) at = at.x = {} as Record<string, unknown>;
  return pick<() => unknown>(rng, [
    () => null,
    () => undefined,
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -1,
    () => 0,
    () => 1e9,
    () => 1e308,
    () => -1e308,
    () => 2.5,
    () => '',
    () => 'nope',
    () => '<img src=x onerror=alert(1)>',
    () => true,
    () => [],
    () => [1, 2, 3],
    () => [null],
    () => ({}),
    () => ({ nope: 1 }),
    () => deep,
    () => () => 1,
    () => Symbol('s'),
    () => 10n,
    () => new Date(0),
    () => new Float64Array(3),
    () => ({ timestep: 'x', network: null }),
  ])();
}

/** Replaces one slot of `args` (or one key of an options object in it) with a bad value. */
function corrupt(rng: Rng, args: unknown[]): unknown[] {
  const out = [...args];
  const k = Math.floor(rng() * out.length);
  const slot = out[k];
  if (slot && typeof slot === 'object' && !Array.isArray(slot) && rng() < 0.6) {
    const keys = Object.keys(slot);
    const key = keys.length > 0 && rng() < 0.8 ? pick(rng, keys) : pick(rng, ['bins', 'title', 'keep', 'runs', 'timesteps', 'seed', 'bogus']);
    out[k] = { ...(slot as object), [key]: badValue(rng) };
  } else {
    out[k] = badValue(rng);
  }
  return out;
}

// Valid inputs to corrupt: a short run of each model.
const v1 = simulate({ seed: 3, timesteps: 4 }).results[0].records;
const v3 = simulateV3({ seed: 3, timesteps: 4 }).results[0].records;
const rows = lastSubstep(toRows(v1));

/** An entry point: its name, the prefixes its errors may carry, and valid arguments. */
interface Entry {
  name: string;
  prefixes: string[];
  call: (...args: unknown[]) => unknown;
  args: unknown[];
}

const f = (fn: unknown) => fn as (...args: unknown[]) => unknown;
const ENTRIES: Entry[] = [
  { name: 'simulate', prefixes: ['simulate', 'config', 'params'], call: f(simulate), args: [{ seed: 1, timesteps: 3, runs: 1, keep: 'last', params: { rho: 0.01 } }] },
  { name: 'simulateV3', prefixes: ['simulateV3', 'config', 'params'], call: f(simulateV3), args: [{ seed: 1, timesteps: 3, runs: 1, keep: 'last', params: { rho: 0.002 } }] },
  { name: 'networkAt', prefixes: ['networkAt'], call: f(networkAt), args: [v1, 2, 1] },
  { name: 'holdingsHistogram', prefixes: ['holdingsHistogram'], call: f(holdingsHistogram), args: [v1[0].network, { bins: 5, title: 't' }] },
  { name: 'fundsRequestedBar', prefixes: ['fundsRequestedBar'], call: f(fundsRequestedBar), args: [v1[0].network, { title: 't' }] },
  { name: 'affinityHeatmap', prefixes: ['affinityHeatmap'], call: f(affinityHeatmap), args: [v1[0].network, { title: 't' }] },
  { name: 'networkSnapshot', prefixes: ['networkSnapshot'], call: f(networkSnapshot), args: [v1[4].network, { title: 't', timestep: 1 }] },
  { name: 'statusCounts', prefixes: ['statusCounts'], call: f(statusCounts), args: [rows, { title: 't' }] },
  { name: 'quantilePlot', prefixes: ['quantilePlot'], call: f(quantilePlot), args: [rows, 'funds', { title: 't' }] },
  { name: 'triggerSurface', prefixes: ['triggerSurface', 'params'], call: f(triggerSurface), args: [{ rho: 0.02 }, {}] },
  { name: 'influenceNetwork', prefixes: ['influenceNetwork', 'springLayout', 'network'], call: f(influenceNetwork), args: [v3[0].network, { seed: 1 }] },
  { name: 'springLayout', prefixes: ['springLayout'], call: f(springLayout), args: [3, [{ source: 0, target: 1 }], { seed: 1 }] },
  { name: 'frameHtml', prefixes: ['frameHtml'], call: f(frameHtml), args: [rows, { maxRows: 6 }] },
  { name: 'frameText', prefixes: ['frameText'], call: f(frameText), args: [rows, { maxRows: 6 }] },
  { name: 'quantilesOverTime', prefixes: ['quantilesOverTime'], call: f(quantilesOverTime), args: [rows, 'funds', [0.5]] },
  { name: 'markdownTable', prefixes: ['markdownTable'], call: f(markdownTable), args: [[{ a: 1 }], ['a'], { digits: 3 }] },
  { name: 'alphaFromHalfLife', prefixes: ['alphaFromHalfLife'], call: f(alphaFromHalfLife), args: [3] },
  { name: 'convictionResponse', prefixes: ['convictionResponse'], call: f(convictionResponse), args: [[1, 2], 0.5, 0] },
];

describe('#.library fuzz', () => {
  it(`should answer ${CASES} generated bad calls with a result or an error naming where it comes from`, () => {
    const rng = runRng('fuzz-library', 0, 0, 1);
    const problems: string[] = [];
    let threw = 0;
    let worked = 0;
    for (let c = 0; c < CASES; c++) {
      const e = ENTRIES[c % ENTRIES.length];
      const args = corrupt(rng, e.args);
      // FUZZ_TRACE=file logs each case before it runs, to find one that aborts the process.
      if (process.env.FUZZ_TRACE) require("node:fs").writeFileSync(process.env.FUZZ_TRACE, `${c} ${e.name}(${args.map((a) => describe1(a)).join(", ")})\n`, { flag: "a" });
      try {
        e.call(...args);
        worked++;
      } catch (err) {
        threw++;
        const msg = err instanceof Error ? err.message : String(err);
        const named = e.prefixes.some((p) => msg.startsWith(`${p}: `) || msg.startsWith(`${p}.`));
        if (!(err instanceof Error) || !named) {
          problems.push(`${e.name}(${args.map((a) => describe1(a)).join(', ')}): ${err instanceof Error ? err.name : typeof err}: ${msg.split('\n')[0].slice(0, 160)}`);
        }
      }
    }
    console.log(`library fuzz: ${CASES} cases over ${ENTRIES.length} entry points: ${threw} named errors, ${worked} accepted`);
    assert.deepEqual(problems.slice(0, 25), [], `${problems.length} unnamed errors`);
  });
});

function describe1(v: unknown): string {
  if (typeof v === 'function') return 'function';
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.length > 3 ? `[${v.length} items]` : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x))?.slice(0, 40) ?? 'array';
  if (v && typeof v === 'object') return `{${Object.entries(v).slice(0, 6).map(([k, x]) => `${k}: ${typeof x === 'object' || typeof x === 'function' ? typeof x : String(x)}`).join(', ')}}`;
  return String(v);
}
