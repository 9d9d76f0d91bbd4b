/**
 * Figures of the deriving-alpha notebook (MODEL_SPEC_V3 §9, Deriving_Alpha):
 * the half-life ↔ alpha curve and the responses of `y ← alpha·y + x` to a
 * step up, a step down and a noisy input, beside their closed forms.
 */
import { alphaFromHalfLife, convictionResponse, type StepResponse } from '../analysis/alpha';
import { linspace } from '../analysis/series';
import { DEFAULT_COLOURS, optionsOf, round, roundAll, title, typeName, userText, userTexts, type Figure, type Trace } from './common';

/** Options of the alpha figures. */
export interface AlphaFigureOptions {
  /** Replaces the default title (escaped). */
  title?: string;
}

/** alpha = 2^(−1/h) over half-lives h from 0.25 to `maxDays`, with v1's (alpha 0.5: 1 day) and v3's (2^(−1/3): 3 days) marked. */
export function halfLifeFigure(maxDays = 14, options: AlphaFigureOptions = {}): Figure {
  const where = 'halfLifeFigure';
  const text = userText(where, 'options.title', optionsOf(where, options, 'options', ['title']).title);
  if (typeof maxDays !== 'number' || !(maxDays >= 1 && maxDays <= 1000)) throw new RangeError(`${where}: maxDays must be a number in [1, 1000], got ${String(maxDays)}`);
  const days = linspace(0.25, maxDays, 200);
  const marks = [
    { name: 'v1: alpha = 0.5, 1 day', h: 1 },
    { name: 'v3: alpha = 2^(−1/3) ≈ 0.794, 3 days', h: 3 },
  ];
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: 'alpha = 2^(−1/half-life)', x: roundAll(days, 3), y: roundAll(days.map(alphaFromHalfLife), 5), line: { color: DEFAULT_COLOURS[0], width: 2 } },
      ...marks.map((m, k) => ({
        type: 'scatter',
        mode: 'markers',
        name: m.name,
        x: [m.h],
        y: [round(alphaFromHalfLife(m.h), 5)],
        marker: { size: 11, color: DEFAULT_COLOURS[k + 1] },
      })),
    ],
    layout: {
      title: title(text ?? 'alpha from the half-life of conviction', `conviction covers half the way to its limit in h days when alpha = 2^(−1/h); h from 0.25 to ${maxDays} days`),
      xaxis: { title: title('half-life (days)') },
      yaxis: { title: title('alpha'), range: [0, 1] },
      margin: { t: 90 },
    },
  };
}

/** A step response (`stepResponse`): the input, the recursion (markers) and its closed form (line); the subtitle gives their largest difference. */
export function stepResponseFigure(response: StepResponse, options: AlphaFigureOptions & { alpha?: number } = {}): Figure {
  const where = 'stepResponseFigure';
  const o = optionsOf(where, options, 'options', ['title', 'alpha']);
  const text = userText(where, 'options.title', o.title);
  if (typeof response !== 'object' || response === null || !Array.isArray(response.recursion) || !Array.isArray(response.closedForm)) {
    throw new TypeError(`${where}: response must be a stepResponse(...) result, got ${typeName(response)}`);
  }
  const t = response.timesteps;
  const alphaText = o.alpha === undefined ? '' : `alpha = ${+o.alpha.toFixed(4)}, `;
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: 'input x (support)', x: t.slice(1), y: roundAll(response.input, 4), line: { color: '#7f7f7f', shape: 'hv', dash: 'dot' } },
      { type: 'scatter', mode: 'lines', name: 'closed form', x: t, y: roundAll(response.closedForm, 4), line: { color: DEFAULT_COLOURS[1], width: 3 } },
      { type: 'scatter', mode: 'markers', name: 'recursion y ← alpha·y + x', x: t, y: roundAll(response.recursion, 4), marker: { color: DEFAULT_COLOURS[0], size: 6 } },
    ],
    layout: {
      title: title(text ?? 'Conviction: step up, then step down', `${alphaText}${t.length - 1} steps; largest |recursion − closed form| = ${response.maxAbsDifference.toExponential(1)}`),
      xaxis: { title: title('timestep') },
      yaxis: { title: title('conviction') },
      margin: { t: 90 },
    },
  };
}

/** A noisy input and the recursion's response, with the steady level mean/(1 − alpha) the response hovers around. */
export function noisyResponseFigure(input: ReadonlyArray<number>, alpha: number, options: AlphaFigureOptions = {}): Figure {
  const where = 'noisyResponseFigure';
  const text = userText(where, 'options.title', optionsOf(where, options, 'options', ['title']).title);
  if (!Array.isArray(input) || input.length === 0 || !input.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new TypeError(`${where}: input must be a non-empty array of finite numbers (e.g. noisyInput(...))`);
  }
  const y = convictionResponse(input, alpha);
  const mean = input.reduce((a, b) => a + b, 0) / input.length;
  const steady = mean / (1 - alpha);
  const t = y.map((_, k) => k);
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: 'input x (noisy support)', x: t.slice(1), y: roundAll(input, 4), line: { color: '#7f7f7f', width: 1 } },
      { type: 'scatter', mode: 'lines', name: 'conviction y', x: t, y: roundAll(y, 4), line: { color: DEFAULT_COLOURS[0], width: 2 } },
      { type: 'scatter', mode: 'lines', name: 'mean(x)/(1 − alpha)', x: [0, t.length - 1], y: [round(steady, 4), round(steady, 4)], line: { color: 'black', dash: 'dash' } },
    ],
    layout: {
      title: title(text ?? 'Conviction under a noisy input', `alpha = ${+alpha.toFixed(4)}, ${input.length} steps; the response smooths the input toward mean(x)/(1 − alpha) = ${+steady.toFixed(2)}`),
      xaxis: { title: title('timestep') },
      yaxis: { title: title('conviction') },
      margin: { t: 90 },
    },
  };
}

/** A proposal's supporters (`groupResponse`): one line per participant's edge, the proposal's total, and the response to the summed input (markers). */
export function groupResponseFigure(
  proposals: ReadonlyArray<{ edges: number[][]; total: number[]; ofSummedInput: number[] }>,
  options: AlphaFigureOptions & { names?: ReadonlyArray<string> } = {},
): Figure {
  const where = 'groupResponseFigure';
  const o = optionsOf(where, options, 'options', ['title', 'names']);
  const text = userText(where, 'options.title', o.title);
  const names = userTexts(where, 'options.names', o.names);
  if (!Array.isArray(proposals) || proposals.length === 0 || proposals.length > 6) throw new TypeError(`${where}: proposals must be 1 to 6 groupResponse(...) results`);
  if (names && names.length !== proposals.length) throw new RangeError(`${where}: options.names has ${names.length} names for ${proposals.length} proposals`);
  const data: Trace[] = [];
  proposals.forEach((p: { edges: number[][]; total: number[]; ofSummedInput: number[] }, k: number) => {
    const name = names?.[k] ?? `proposal ${k + 1}`;
    const colour = DEFAULT_COLOURS[k % DEFAULT_COLOURS.length];
    const t = p.total.map((_: number, i: number) => i);
    p.edges.forEach((e: number[], i: number) =>
      data.push({ type: 'scatter', mode: 'lines', name: `${name}: participant ${i + 1}`, legendgroup: `p${k}`, x: t, y: roundAll(e, 4), line: { color: colour, width: 1, dash: 'dot' } }),
    );
    data.push({ type: 'scatter', mode: 'lines', name: `${name}: total`, legendgroup: `p${k}`, x: t, y: roundAll(p.total, 4), line: { color: colour, width: 3 } });
    data.push({ type: 'scatter', mode: 'markers', name: `${name}: response to the summed input`, legendgroup: `p${k}`, x: t, y: roundAll(p.ofSummedInput, 4), marker: { color: colour, size: 5, symbol: 'circle-open' } });
  });
  const participants = proposals.map((p) => p.edges.length);
  const diff = Math.max(...proposals.map((p) => (p as { maxAbsDifference?: number }).maxAbsDifference ?? 0));
  return {
    data,
    layout: {
      title: title(
        text ?? `Conviction of ${proposals.length} proposal${proposals.length === 1 ? '' : 's'}, ${participants.join(' and ')} participant${participants.every((n) => n === 1) ? '' : 's'}`,
        `each edge follows y ← alpha·y + x; a proposal's total equals the response to the summed input (largest difference ${diff.toExponential(1)})`,
      ),
      xaxis: { title: title('timestep') },
      yaxis: { title: title('conviction') },
      margin: { t: 90 },
    },
  };
}
