/**
 * Figures of the trigger function and of conviction growth (MODEL_SPEC §5 and
 * §7 PSUB 4): what rho, beta and alpha do, before any simulation. Pure
 * functions of `src/models/v1/maths.ts` and `src/analysis/series.ts` (which also
 * gives the worked numbers of the configuration notebook: `triggerBudget`, `candidateBudgets`).
 */
import { checkCount, convictionSeries, halfLife, linspace, MAX_POINTS, MAX_STEPS, triggerGrid, type GrowthArgs } from '../analysis/series';
import { convictionAfter, triggerThreshold } from '../models/v1/maths';
import { DEFAULT_PARAMS, type Params, validateParams } from '../models/v1/params';
import { compact, DEFAULT_COLOURS, extent, optionsOf, round, roundAll, title, typeName, userNumber, userText, type Figure, type Trace } from './common';

/** The parameters the trigger needs, with the defaults for the missing ones; each one used must be a finite number (they reach titles). */
function paramsOf(where: string, params: Partial<Params>): Params {
  const given = optionsOf(where, params, 'params');
  const p = { ...DEFAULT_PARAMS, ...given };
  for (const k of ['supply', 'beta', 'rho', 'alpha', 'initial_funds'] as const) userNumber(where, `params.${k}`, p[k]);
  // The model's own ranges: a trigger of rho = 0 or beta = 1 is no trigger to draw.
  validateParams(p);
  return p;
}

/** Checks a list of numbers an argument gives (finite, at most `max`). */
function numbers(where: string, name: string, v: unknown, max = MAX_POINTS): number[] {
  if (!Array.isArray(v)) throw new TypeError(`${where}: ${name} must be an array of numbers, got ${typeName(v)}`);
  if (v.length === 0 || v.length > max) throw new RangeError(`${where}: ${name} must hold 1 to ${max} numbers, got ${v.length}`);
  v.forEach((x, k) => userNumber(where, `${name}[${k}]`, x));
  return v as number[];
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

/**
 * The trigger threshold over funds requested and funds in the pool, coloured on a
 * log scale. It depends on them only through the share `requested / funds`, so its
 * contour lines are rays through the origin; at and beyond the ray
 * `requested = beta × funds` it is infinite (left blank).
 */
export function triggerSurface(params: Partial<Params> = {}, grid: TriggerGrid = {}, options: TriggerSurfaceOptions = {}): Figure {
  const where = 'triggerSurface';
  const p = paramsOf(where, params);
  const g = optionsOf(where, grid, 'grid', ['requested', 'funds']);
  const o = optionsOf(where, options, 'options', ['kind', 'decades', 'title']);
  if (o.kind !== undefined && o.kind !== 'contour' && o.kind !== 'surface') throw new RangeError(`${where}: options.kind must be 'contour' or 'surface', got ${String(o.kind)}`);
  if (o.decades !== undefined && !(typeof o.decades === 'number' && o.decades > 0 && o.decades <= 12)) throw new RangeError(`${where}: options.decades must be a number in (0, 12], got ${String(o.decades)}`);
  const userTitle = userText(where, 'options.title', o.title);
  // 40,000 cells draw in well under a second; more only fill memory.
  const funds = [...(g.funds !== undefined ? numbers(where, 'grid.funds', g.funds, 2000) : linspace(p.initial_funds / 4, 2 * p.initial_funds, 41))];
  const fundsMax = extent(funds)[1];
  const requested = [...(g.requested !== undefined ? numbers(where, 'grid.requested', g.requested, 2000) : linspace(0, p.beta * fundsMax, 61))];
  if (funds.length * requested.length > 250_000) throw new RangeError(`${where}: the grid has ${requested.length} × ${funds.length} cells; at most 250000`);
  const [reqLo, reqHi] = extent(requested);
  const z = triggerGrid(p, requested, funds);
  // Colours from the trigger of a zero request (its minimum) up to `decades` above it.
  const zmin = Math.log10((p.rho * p.supply) / (p.beta * p.beta));
  const zmax = zmin + (o.decades ?? 2);
  const logZ = z.map((row) => roundAll(row.map(Math.log10), 3));
  const text = z.map((row, i) =>
    row.map((v, k) => `share ${(requested[k] / funds[i]).toFixed(3)}: ${Number.isFinite(v) ? compact(v) : 'never (share ≥ β)'}`),
  );
  const ticks = linspace(Math.ceil(zmin * 2) / 2, Math.floor(zmax * 2) / 2, Math.floor(zmax * 2) - Math.ceil(zmin * 2) + 1);
  const colorbar = { title: title('trigger'), tickvals: ticks, ticktext: ticks.map((t) => compact(10 ** t)) };
  const hovertemplate = 'requested %{x:.0f}<br>funds %{y:.0f}<br>%{text}<extra></extra>';
  const figTitle = userTitle ?? `Trigger threshold (ρ = ${p.rho}, β = ${p.beta}, supply ${compact(p.supply)})`;

  if (o.kind === 'surface') {
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
      x: [0, round(Math.min(p.beta * fundsMax, reqHi), 2)],
      y: [0, round(Math.min(fundsMax, reqHi / p.beta), 2)],
      line: { color: 'black', dash: 'dash', width: 2 },
      hoverinfo: 'skip',
    },
  ];
  return {
    data,
    layout: {
      title: title(figTitle),
      xaxis: { title: title('funds requested'), range: [reqLo, reqHi] },
      yaxis: { title: title('funds in the pool'), range: [extent(funds)[0], fundsMax] },
      legend: { orientation: 'h', x: 0, y: -0.24, yanchor: 'top' },
      height: 480,
    },
  };
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
  const userTitle = userText('convictionGrowth', 'options.title', optionsOf('convictionGrowth', options, 'options', ['title']).title);
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
      title: title(userTitle ?? `Conviction under constant support x = ${compact(args.x)}, α = ${args.alpha}`),
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
  const where = 'alphaComparison';
  optionsOf(where, args, 'args', ['x', 'alphas', 'steps', 'normalise', 'threshold', 'title']);
  userNumber(where, 'args.x', args.x);
  if (args.x === undefined) throw new TypeError(`${where}: args.x must be a number, got undefined`);
  numbers(where, 'args.alphas', args.alphas, 24);
  checkCount(where, 'args.steps', args.steps, 1, MAX_STEPS);
  userNumber(where, 'args.threshold', args.threshold);
  const userTitle = userText(where, 'args.title', args.title);
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
      title: title(userTitle ?? `Conviction growth for several α (x = ${compact(args.x)} tokens staked)`),
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
  const where = 'rhoBetaEffect';
  const a = optionsOf(where, args, 'args', ['supply', 'rhos', 'betas', 'beta', 'rho', 'reach', 'points', 'title']);
  const supply = userNumber(where, 'args.supply', a.supply) ?? DEFAULT_PARAMS.supply;
  const beta0 = userNumber(where, 'args.beta', a.beta) ?? DEFAULT_PARAMS.beta;
  const rho0 = userNumber(where, 'args.rho', a.rho) ?? DEFAULT_PARAMS.rho;
  const rhos = a.rhos !== undefined ? numbers(where, 'args.rhos', a.rhos, 24) : [0.002, 0.005, 0.01, 0.02];
  const betas = a.betas !== undefined ? numbers(where, 'args.betas', a.betas, 24) : [0.1, 0.2, 0.3, 0.4];
  const points = a.points ?? 81;
  checkCount(where, 'args.points', points, 2, 10_000);
  let reach: { value: number; label: string } | undefined;
  if (a.reach !== undefined) {
    const r = optionsOf(where, a.reach, 'args.reach', ['value', 'label']);
    reach = { value: userNumber(where, 'args.reach.value', r.value) as number, label: userText(where, 'args.reach.label', r.label) ?? '' };
  }
  const userTitle = userText(where, 'args.title', a.title);
  const xmax = extent(betas)[1];
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
  if (reach) {
    for (const [ax, show, end] of [['', true, beta0], ['2', false, xmax]] as const) {
      data.push(hline(reach.label, 0, end, reach.value, 'black', 'dot', { xaxis: `x${ax}`, yaxis: `y${ax}`, showlegend: show, legendgroup: 'reach' }));
    }
  }
  // From a third of the smallest zero-request trigger to 30 times the largest: the curves before they shoot to infinity at beta.
  const [floor, topZero] = extent([...rhos.map((r) => (r * supply) / (beta0 * beta0)), ...betas.map((b) => (rho0 * supply) / (b * b))]);
  const top = topZero * 30;
  const yrange = [Math.log10(floor / 3), Math.log10(Math.max(top, reach ? reach.value * 3 : 0))];
  return {
    data,
    layout: {
      title: title(userTitle ?? 'Trigger threshold against the requested share of funds'),
      xaxis: { domain: [0, 0.47], title: title(`share of funds requested (β = ${beta0})`), range: [0, beta0] },
      yaxis: { type: 'log', title: title('trigger (conviction needed)'), range: yrange },
      xaxis2: { domain: [0.53, 1], title: title(`share of funds requested (ρ = ${rho0})`), range: [0, xmax] },
      yaxis2: { type: 'log', anchor: 'x2', range: yrange },
      legend: { orientation: 'h', x: 0, y: -0.26, yanchor: 'top' },
      height: 460,
    },
  };
}
