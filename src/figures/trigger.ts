/**
 * Figures of the trigger function and of conviction growth (MODEL_SPEC §5 and
 * §7 PSUB 4): what rho, beta and alpha do, before any simulation. Pure
 * functions of `src/model/maths.ts`; the worked numbers of the configuration
 * notebook come from `triggerBudget`.
 */
import { convictionAfter, convictionStep, maxConviction, stepsToPass, triggerThreshold } from '../model/maths';
import { DEFAULT_PARAMS, type Params } from '../model/params';
import type { State } from '../model/state';
import { compact, DEFAULT_COLOURS, round, roundAll, title, type Figure, type Trace } from './common';

/** The parameters the trigger needs, with the defaults for the missing ones. */
function paramsOf(params: Partial<Params>): Params {
  return { ...DEFAULT_PARAMS, ...params };
}

/** `count` evenly spaced values from `lo` to `hi` inclusive. */
export function linspace(lo: number, hi: number, count: number): number[] {
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`linspace: count must be a positive integer, got ${count}`);
  if (count === 1) return [lo];
  return Array.from({ length: count }, (_, k) => (k === count - 1 ? hi : lo + ((hi - lo) * k) / (count - 1)));
}

/** The grid of `triggerSurface`: funds requested (x) and funds in the pool (y). */
export interface TriggerGrid {
  /** Funds requested (x axis). Default: 61 values from 0 to beta × the largest funds. */
  requested?: ReadonlyArray<number>;
  /** Funds in the pool (y axis). Default: 41 values from initial_funds / 4 to 2 × initial_funds. */
  funds?: ReadonlyArray<number>;
}

/** Options of `triggerSurface`. */
export interface TriggerSurfaceOptions {
  /** `contour` (default): a heatmap with contour lines; `surface`: a 3D surface. */
  kind?: 'contour' | 'surface';
  /** Decades of colour above the smallest trigger (default 2: up to 100 × the trigger of a zero request). */
  decades?: number;
  title?: string;
}

/** Trigger thresholds over a grid: `z[i][k]` for `funds[i]` and `requested[k]` (+Infinity where the share reaches beta). */
export function triggerGrid(params: Partial<Params>, requested: ReadonlyArray<number>, funds: ReadonlyArray<number>): number[][] {
  const p = paramsOf(params);
  return funds.map((f) => requested.map((r) => triggerThreshold(r, f, p.supply, p.beta, p.rho)));
}

/**
 * The trigger threshold over funds requested and funds in the pool, coloured on a
 * log scale. It depends on them only through the share `requested / funds`, so its
 * contour lines are rays through the origin; at and beyond the ray
 * `requested = beta × funds` it is infinite (left blank).
 */
export function triggerSurface(params: Partial<Params> = {}, grid: TriggerGrid = {}, options: TriggerSurfaceOptions = {}): Figure {
  const p = paramsOf(params);
  const funds = [...(grid.funds ?? linspace(p.initial_funds / 4, 2 * p.initial_funds, 41))];
  const fundsMax = Math.max(...funds);
  const requested = [...(grid.requested ?? linspace(0, p.beta * fundsMax, 61))];
  const z = triggerGrid(p, requested, funds);
  // Colours from the trigger of a zero request (its minimum) up to `decades` above it.
  const zmin = Math.log10((p.rho * p.supply) / (p.beta * p.beta));
  const zmax = zmin + (options.decades ?? 2);
  const logZ = z.map((row) => roundAll(row.map(Math.log10), 3));
  const text = z.map((row, i) =>
    row.map((v, k) => `share ${(requested[k] / funds[i]).toFixed(3)}: ${Number.isFinite(v) ? compact(v) : 'never (share ≥ β)'}`),
  );
  const ticks = linspace(Math.ceil(zmin * 2) / 2, Math.floor(zmax * 2) / 2, Math.floor(zmax * 2) - Math.ceil(zmin * 2) + 1);
  const colorbar = { title: title('trigger'), tickvals: ticks, ticktext: ticks.map((t) => compact(10 ** t)) };
  const hovertemplate = 'requested %{x:.0f}<br>funds %{y:.0f}<br>%{text}<extra></extra>';
  const figTitle = options.title ?? `Trigger threshold (ρ = ${p.rho}, β = ${p.beta}, supply ${compact(p.supply)})`;

  if (options.kind === 'surface') {
    return {
      data: [
        {
          type: 'surface',
          x: roundAll(requested, 2),
          y: roundAll(funds, 2),
          z: logZ.map((row) => row.map((v) => (v === null ? null : Math.min(v, zmax)))),
          cmin: zmin,
          cmax: zmax,
          colorscale: 'Viridis',
          colorbar,
          text,
          hovertemplate,
        },
      ],
      layout: {
        title: title(figTitle),
        scene: {
          xaxis: { title: title('funds requested') },
          yaxis: { title: title('funds') },
          zaxis: { title: title('log₁₀ trigger'), range: [zmin, zmax] },
        },
        height: 560,
      },
    };
  }
  const data: Trace[] = [
    {
      type: 'contour',
      x: roundAll(requested, 2),
      y: roundAll(funds, 2),
      z: logZ,
      zmin,
      zmax,
      zauto: false,
      colorscale: 'Viridis',
      contours: { coloring: 'heatmap', start: zmin, end: zmax, size: 0.25, showlines: true },
      line: { color: 'rgba(255,255,255,0.6)', width: 1 },
      connectgaps: false,
      colorbar,
      text,
      hovertemplate,
      name: 'trigger',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: `share = β = ${p.beta}: trigger infinite beyond`,
      x: [0, round(Math.min(p.beta * fundsMax, Math.max(...requested)), 2)],
      y: [0, round(Math.min(fundsMax, Math.max(...requested) / p.beta), 2)],
      line: { color: 'black', dash: 'dash', width: 2 },
      hoverinfo: 'skip',
    },
  ];
  return {
    data,
    layout: {
      title: title(figTitle),
      xaxis: { title: title('funds requested'), range: [Math.min(...requested), Math.max(...requested)] },
      yaxis: { title: title('funds in the pool'), range: [Math.min(...funds), fundsMax] },
      legend: { orientation: 'h', x: 0, y: -0.24, yanchor: 'top' },
      height: 480,
    },
  };
}

/** Constant support: `x` tokens staked every step, memory `alpha`, starting conviction `y0`, over `steps` steps. */
export interface GrowthArgs {
  x: number;
  alpha: number;
  y0?: number;
  steps: number;
  /** A trigger to pass: drawn as a line, with the step `stepsToPass` gives. */
  threshold?: number;
}

/** The closed form and the simulated recursion of conviction under constant support, and how far apart they are. */
export interface ConvictionSeries {
  timesteps: number[];
  /** `convictionAfter(t, x, alpha, y0)`. */
  closedForm: number[];
  /** `convictionStep` iterated from `y0`. */
  recursion: number[];
  /** Largest |closed form − recursion| over the steps. */
  maxAbsDifference: number;
  /** The asymptote `x / (1 − alpha)`. */
  limit: number;
  /** `stepsToPass(threshold, ...)` when a threshold is given (Infinity: never), else null. */
  stepsToPass: number | null;
}

/** Checks the alpha and the step count of a growth figure. */
function checkGrowth(alpha: number, steps: number, where: string): void {
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`${where}: alpha must be in [0, 1), got ${alpha}`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`${where}: steps must be a positive integer, got ${steps}`);
}

/** Conviction over `steps` steps of constant support: closed form, recursion, their largest difference, asymptote and time to pass. */
export function convictionSeries(args: GrowthArgs): ConvictionSeries {
  const { x, alpha, steps } = args;
  const y0 = args.y0 ?? 0;
  checkGrowth(alpha, steps, 'convictionSeries');
  const timesteps = Array.from({ length: steps + 1 }, (_, t) => t);
  const closedForm = timesteps.map((t) => convictionAfter(t, x, alpha, y0));
  const recursion: number[] = [y0];
  for (let t = 1; t <= steps; t++) recursion.push(convictionStep(recursion[t - 1], x, alpha));
  const maxAbsDifference = Math.max(...closedForm.map((c, t) => Math.abs(c - recursion[t])));
  const passes = args.threshold === undefined ? null : stepsToPass(args.threshold, x, alpha, y0);
  return { timesteps, closedForm, recursion, maxAbsDifference, limit: maxConviction(x, alpha), stepsToPass: passes };
}

/** Steps for conviction to cover half the way to its asymptote: `ln 2 / ln(1/alpha)` (0 when alpha is 0). */
export function halfLife(alpha: number): number {
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`halfLife: alpha must be in [0, 1), got ${alpha}`);
  return alpha === 0 ? 0 : Math.log(0.5) / Math.log(alpha);
}

/** A dashed horizontal line from x0 to x1 at y. */
function hline(name: string, x0: number, x1: number, y: number, colour: string, dash: string, extra: Trace = {}): Trace {
  return { type: 'scatter', mode: 'lines', name, x: [x0, x1], y: [round(y, 3), round(y, 3)], line: { color: colour, dash, width: 1.5 }, hoverinfo: 'name+y', ...extra };
}

/**
 * Conviction under constant support: the closed form `a^t·y0 + x·(1−a^t)/(1−a)`
 * as a line, the recursion `y ← x + a·y` as markers on it, the asymptote
 * `x/(1−a)` and, with a threshold, the line to pass and the step it is passed.
 */
export function convictionGrowth(args: GrowthArgs, options: { title?: string } = {}): Figure {
  const s = convictionSeries(args);
  const last = args.steps;
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'closed form a^t·y₀ + x(1−a^t)/(1−a)',
      x: s.timesteps,
      y: roundAll(s.closedForm, 3),
      line: { color: DEFAULT_COLOURS[0], width: 2 },
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'recursion y ← x + a·y',
      x: s.timesteps,
      y: roundAll(s.recursion, 3),
      marker: { color: DEFAULT_COLOURS[1], size: 6, symbol: 'circle-open' },
    },
    hline(`asymptote x/(1−a) = ${compact(s.limit)}`, 0, last, s.limit, 'grey', 'dash'),
  ];
  const annotations: Record<string, unknown>[] = [];
  if (args.threshold !== undefined) {
    data.push(hline(`threshold ${compact(args.threshold)}`, 0, last, args.threshold, '#d62728', 'dot'));
    const n = s.stepsToPass as number;
    if (Number.isFinite(n) && n <= last) {
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: `passes after ${n} step${n === 1 ? '' : 's'}`,
        x: [n],
        y: [round(convictionAfter(n, args.x, args.alpha, args.y0 ?? 0), 3)],
        marker: { color: '#d62728', size: 11, symbol: 'star' },
      });
    }
    const text = !Number.isFinite(n)
      ? `never passes: the asymptote ${compact(s.limit)} ≤ threshold ${compact(args.threshold)}`
      : `passes after ${n} step${n === 1 ? '' : 's'} (stepsToPass)`;
    annotations.push({ xref: 'paper', yref: 'paper', x: 1, y: 1.02, xanchor: 'right', yanchor: 'bottom', text, showarrow: false });
  }
  return {
    data,
    layout: {
      title: title(options.title ?? `Conviction under constant support x = ${compact(args.x)}, α = ${args.alpha}`),
      xaxis: { title: title('timestep') },
      yaxis: { title: title('conviction'), rangemode: 'tozero' },
      legend: { orientation: 'h', x: 0, y: -0.28, yanchor: 'top' },
      height: 480,
      annotations,
    },
  };
}

/** Options of `alphaComparison`. */
export interface AlphaComparisonArgs {
  /** Constant support (tokens staked every step). */
  x: number;
  alphas: ReadonlyArray<number>;
  steps: number;
  /** Plot conviction / asymptote (0..1) instead of conviction, so curves of every alpha share a scale. */
  normalise?: boolean;
  /** A threshold line (conviction units; ignored when normalised). */
  threshold?: number;
  title?: string;
}

/** Conviction from zero under the same constant support for several alpha: each curve with its asymptote, half-life in the legend. */
export function alphaComparison(args: AlphaComparisonArgs): Figure {
  const data: Trace[] = [];
  args.alphas.forEach((alpha, k) => {
    const s = convictionSeries({ x: args.x, alpha, steps: args.steps });
    const colour = DEFAULT_COLOURS[k % DEFAULT_COLOURS.length];
    const y = args.normalise ? s.closedForm.map((v) => v / s.limit) : s.closedForm;
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `α = ${alpha}: half-life ${+halfLife(alpha).toFixed(1)} steps, max ${compact(s.limit)}`,
      legendgroup: `alpha-${k}`,
      x: s.timesteps,
      y: roundAll(y, args.normalise ? 4 : 2),
      line: { color: colour, width: 2 },
    });
    if (!args.normalise) {
      data.push(hline(`max x/(1−α) = ${compact(s.limit)}`, 0, args.steps, s.limit, colour, 'dash', { legendgroup: `alpha-${k}`, showlegend: false }));
    }
  });
  if (args.threshold !== undefined && !args.normalise) {
    data.push(hline(`threshold ${compact(args.threshold)}`, 0, args.steps, args.threshold, 'black', 'dot'));
  }
  return {
    data,
    layout: {
      title: title(args.title ?? `Conviction growth for several α (x = ${compact(args.x)} tokens staked)`),
      xaxis: { title: title('timestep') },
      yaxis: { title: title(args.normalise ? 'conviction / asymptote' : 'conviction'), rangemode: 'tozero' },
    },
  };
}

/** Options of `rhoBetaEffect`. */
export interface RhoBetaArgs {
  /** Token supply (default: the model's). */
  supply?: number;
  /** rho values of the left panel (at `beta`). */
  rhos?: ReadonlyArray<number>;
  /** beta values of the right panel (at `rho`). */
  betas?: ReadonlyArray<number>;
  /** beta of the left panel (default 0.2). */
  beta?: number;
  /** rho of the right panel (default 0.02). */
  rho?: number;
  /** A conviction level to compare with (e.g. the largest a community reaches), drawn dotted in both panels. */
  reach?: { value: number; label: string };
  /** Points per curve (default 81). */
  points?: number;
  title?: string;
}

/** Colours of the beta curves, distinct from the rho curves' (the rest of matplotlib's tab10). */
const BETA_COLOURS: readonly string[] = ['#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Trigger threshold against the requested share of funds: several rho at one beta (left), several beta at one rho (right); log scale. */
export function rhoBetaEffect(args: RhoBetaArgs = {}): Figure {
  const supply = args.supply ?? DEFAULT_PARAMS.supply;
  const beta0 = args.beta ?? DEFAULT_PARAMS.beta;
  const rho0 = args.rho ?? DEFAULT_PARAMS.rho;
  const rhos = args.rhos ?? [0.002, 0.005, 0.01, 0.02];
  const betas = args.betas ?? [0.1, 0.2, 0.3, 0.4];
  const points = args.points ?? 81;
  const xmax = Math.max(...betas);
  // Each panel's shares run from 0 to its largest beta, where its last trigger becomes infinite.
  const left = linspace(0, beta0, points);
  const right = linspace(0, xmax, points);
  const curve = (shares: number[], rho: number, beta: number): Array<number | null> =>
    shares.map((s) => round(triggerThreshold(s, 1, supply, beta, rho), 0));
  const data: Trace[] = [];
  rhos.forEach((rho, k) =>
    data.push({ type: 'scatter', mode: 'lines', name: `ρ = ${rho} (β = ${beta0})`, x: roundAll(left, 4), y: curve(left, rho, beta0), line: { color: DEFAULT_COLOURS[k % DEFAULT_COLOURS.length], width: 2 } }),
  );
  betas.forEach((beta, k) =>
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `β = ${beta} (ρ = ${rho0})`,
      x: roundAll(right, 4),
      y: curve(right, rho0, beta),
      xaxis: 'x2',
      yaxis: 'y2',
      line: { color: BETA_COLOURS[k % BETA_COLOURS.length], width: 2, dash: 'dashdot' },
    }),
  );
  if (args.reach) {
    for (const [ax, show, end] of [['', true, beta0], ['2', false, xmax]] as const) {
      data.push(hline(args.reach.label, 0, end, args.reach.value, 'black', 'dot', { xaxis: `x${ax}`, yaxis: `y${ax}`, showlegend: show, legendgroup: 'reach' }));
    }
  }
  // From a third of the smallest zero-request trigger to 30 times the largest: the curves before they shoot to infinity at beta.
  const floor = Math.min(...rhos.map((r) => (r * supply) / (beta0 * beta0)), ...betas.map((b) => (rho0 * supply) / (b * b)));
  const top = Math.max(...rhos.map((r) => (r * supply) / (beta0 * beta0)), ...betas.map((b) => (rho0 * supply) / (b * b))) * 30;
  const yrange = [Math.log10(floor / 3), Math.log10(Math.max(top, args.reach ? args.reach.value * 3 : 0))];
  return {
    data,
    layout: {
      title: title(args.title ?? 'Trigger threshold against the requested share of funds'),
      xaxis: { domain: [0, 0.47], title: title(`share of funds requested (β = ${beta0})`), range: [0, beta0] },
      yaxis: { type: 'log', title: title('trigger (conviction needed)'), range: yrange },
      xaxis2: { domain: [0.53, 1], title: title(`share of funds requested (ρ = ${rho0})`), range: [0, xmax] },
      yaxis2: { type: 'log', anchor: 'x2', range: yrange },
      legend: { orientation: 'h', x: 0, y: -0.26, yanchor: 'top' },
      height: 460,
    },
  };
}

/** One proposal under constant support: how its trigger compares with the conviction its stake can reach. */
export interface TriggerBudget {
  share: number;
  trigger: number;
  /** `staked / (1 − alpha)`: the most conviction the stake can build. */
  maxConviction: number;
  /** `maxConviction / trigger`: above 1 the proposal passes in time, below it never. */
  reach: number;
  /** Steps of constant support until conviction exceeds the trigger (Infinity: never). */
  stepsToPass: number;
  /** Tokens that must stay staked for the asymptote to reach the trigger: `trigger × (1 − alpha)`. */
  stakeNeeded: number;
}

/** The worked example of a proposal: its share, trigger, reachable conviction, time to pass and the stake it needs. */
export function triggerBudget(params: Partial<Params>, proposal: { requested: number; funds: number; staked: number; y0?: number }): TriggerBudget {
  const p = paramsOf(params);
  const trigger = triggerThreshold(proposal.requested, proposal.funds, p.supply, p.beta, p.rho);
  const max = maxConviction(proposal.staked, p.alpha);
  return {
    share: proposal.requested / proposal.funds,
    trigger,
    maxConviction: max,
    reach: max / trigger,
    stepsToPass: stepsToPass(trigger, proposal.staked, p.alpha, proposal.y0 ?? 0),
    stakeNeeded: trigger * (1 - p.alpha),
  };
}

/** A candidate of a state with its stake and its `TriggerBudget`. */
export interface CandidateBudget extends TriggerBudget {
  /** Node id of the proposal. */
  proposal: number;
  requested: number;
  /** Tokens staked on it now (sum over its support edges). */
  staked: number;
  /** Its conviction now. */
  conviction: number;
}

/**
 * Every candidate of a state with its budget under `params`, the closest to
 * passing first. Its stake is taken as constant; `stepsToPass` counts from its
 * current conviction, or from zero with `fromScratch` (a new proposal with that stake).
 */
export function candidateBudgets(
  state: Pick<State, 'network' | 'funds'>,
  params: Partial<Params> = {},
  options: { fromScratch?: boolean } = {},
): CandidateBudget[] {
  const net = state.network;
  return net
    .proposalsWithStatus('candidate')
    .map((j) => {
      let staked = 0;
      for (const t of net.tokensColumn(j)) staked += t;
      const requested = net.fundsRequested(j);
      const conviction = net.conviction(j);
      const y0 = options.fromScratch ? 0 : conviction;
      const budget = triggerBudget(params, { requested, funds: state.funds, staked, y0 });
      return { proposal: net.proposalId(j), requested, staked, conviction, ...budget };
    })
    .sort((a, b) => b.reach - a.reach || a.proposal - b.proposal);
}
