import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { triggerReach } from '../src/analysis/compare';
import { lastSubstep, toRows } from '../src/analysis/dataframes';
import { affinityHeatmap, RED_YELLOW_GREEN } from '../src/figures/distributions';
import { convictionRequiredBar, convictionRequiredShareBar, requestShareBar, v3DocumentedFigures, v3Lines } from '../src/figures/v3';
import type { Figure } from '../src/figures/common';
import { simulate } from '../src/models/v1';
import { simulateV3 } from '../src/models/v3';

const records = simulateV3({ seed: 1, rng: 'numpy', timesteps: 100 }).results[0].records;
const genesis = records[0];
const figures = v3DocumentedFigures(records);
const byName = new Map(figures.map((f) => [f.name, f.figure]));
const fig = (name: string): Figure => byName.get(name)!;
const titleOf = (f: Figure) => (f.layout.title as { text: string }).text;
const subtitleOf = (f: Figure) => (f.layout.title as { subtitle?: { text: string } }).subtitle?.text ?? '';
const rdf = lastSubstep(toRows(records, { model: 'v3' }));

describe('v3DocumentedFigures (MODEL_SPEC_V3 §9)', () => {
  it('gives the twenty figures in order, named as the reference images', () => {
    const reference = readdirSync(path.join(__dirname, '..', 'docs', 'figures', 'v3')).filter((f) => f.endsWith('.png')).map((f) => f.replace(/\.png$/, '')).sort();
    assert.equal(figures.length, 20);
    assert.deepEqual(figures.map((f) => f.name), reference);
    for (const { name, figure } of figures) {
      assert.ok(figure.data.length > 0, name);
      assert.ok(titleOf(figure).length > 0, name);
    }
  });

  it('figure 1 counts every genesis participant; figure 2 draws the influence links', () => {
    const counts = fig('01-genesis-holdings-histogram').data[0].y as number[];
    assert.equal(counts.reduce((a, b) => a + b, 0), 30);
    assert.match(subtitleOf(fig('02-influence-network')), /^genesis: 30 participants, spring layout \(seed 0\)$/);
    assert.equal(titleOf(fig('02-influence-network')), `Participants' influence network: ${genesis.network.linkCount('influence')} links (strongest ${Math.round(Math.max(...allInfluence()) * 100) / 100})`);
  });

  it('figures 3-5: request / F0, and the trigger with S0 over E0/(1 − alpha), by hand', () => {
    const alpha = 2 ** (-1 / 3);
    const [F0, S0, rho, beta] = [4867.21, 22392.22, 0.0025, 0.2];
    const E0 = 0.8 * (S0 - F0);
    const r0 = genesis.network.fundsRequested(0);
    const share = r0 / F0;
    const required = (rho * S0) / ((beta - share) ** 2 * (1 - alpha));
    assert.equal((fig('03-genesis-request-share').data[0].y as number[])[0], Math.round(share * 1e5) / 1e5);
    assert.equal((fig('05-genesis-conviction-required').data[0].y as number[])[0], Math.round(required * 10) / 10);
    const fraction = (rho * S0) / ((beta - share) ** 2 * E0);
    assert.ok(Math.abs((fig('04-genesis-conviction-required-share').data[0].y as number[])[0] - fraction) < 1e-5);
    assert.match(subtitleOf(fig('04-genesis-conviction-required-share')), /total supply S0.*E0\/\(1 − alpha\) = 67959.*effective supply E0 \(the original's mix\); a fraction, not a percentage/s);
    assert.deepEqual(fig('03-genesis-request-share').data[0].x, ['30', '31', '32', '33', '34', '35', '36']);
  });

  it('figures 6 and 9: signed affinities on a red-yellow-green scale from −1 to 1', () => {
    for (const name of ['06-genesis-affinity-heatmap', '09-final-affinity-heatmap']) {
      const t = fig(name).data[0];
      assert.equal(t.zmin, -1);
      assert.equal(t.zmax, 1);
      assert.equal(t.colorscale, RED_YELLOW_GREEN);
    }
    const z = fig('06-genesis-affinity-heatmap').data[0].z as number[][];
    assert.equal(z.length, 7);
    assert.equal(z[0].length, 30);
    assert.ok(z.flat().some((v) => v < 0), 'v3 affinities are signed');
    assert.equal(titleOf(fig('09-final-affinity-heatmap')), 'affinities between participants and proposals, timestep 100');
    // v1 keeps its scale.
    assert.equal(affinityHeatmap(genesis.network).data[0].zmin, 0);
    assert.throws(() => affinityHeatmap(genesis.network, { scale: 'viridis' as 'rocket' }), /^RangeError: affinityHeatmap: options.scale must be 'rocket' or 'red-yellow-green'/);
  });

  it('figures 7, 8 and 14-20 plot the rdf columns of timesteps 1..100, one run', () => {
    const col = (name: string, k = 0) => fig(name).data[k].y as number[];
    assert.deepEqual(fig('07-sentiment').data[0].x, rdf.map((r) => r.timestep));
    assert.deepEqual(col('07-sentiment'), rdf.map((r) => Math.round(r.sentiment * 1e4) / 1e4));
    assert.equal(col('08-funds-and-candidate-funds', 1)[0], Math.round(rdf[0].candidate_funds * 1e4) / 1e4);
    assert.equal(col('14-total-supply-and-funds')[0], Math.round(22392.22 * 1.001 * 1e4) / 1e4);
    assert.equal(col('16-participant-count')[99], rdf[99].participant_count);
    assert.equal(col('18-supply-in-pool')[0], Math.round((rdf[0].total_supply / rdf[0].funds) * 1e4) / 1e4);
    assert.equal(col('19-proposal-stage-percentages', 2)[0], Math.round((5 / 8) * 1e4) / 1e4);
    assert.equal(fig('20-fund-stage-percentages').data.length, 3);
    for (const name of ['07-sentiment', '15-effective-supply', '17-supply-share-for-voting']) assert.equal(subtitleOf(fig(name)), 'one run, timesteps 1–100');
  });

  it('figures 10-11 stack the statuses: at timestep 1 they add up to the 8 proposals', () => {
    const f = fig('10-proposal-status-counts');
    assert.equal(f.data.length, 5);
    assert.ok(f.data.every((t) => t.stackgroup === 'status'));
    assert.equal(f.data.reduce((a, t) => a + (t.y as number[])[0], 0), 8);
    assert.match(subtitleOf(fig('11-proposal-status-funds')), /one run, timesteps 1–100, stacked/);
  });

  it('figures 12-13 are rdf rows 0 and 50: timesteps 1 and 51, and say so', () => {
    assert.equal(titleOf(fig('12-network-snapshot-row0')), 'Tokens Staked by Participants to Proposals, timestep 1');
    assert.equal(titleOf(fig('13-network-snapshot-row50')), 'Tokens Staked by Participants to Proposals, timestep 51');
    assert.match(subtitleOf(fig('13-network-snapshot-row50')), /rdf row 50 .*timestep 51/);
  });

  it('refuses v1 records, several runs and a run too short for the row-50 snapshot, naming the function', () => {
    const v1 = simulate({ seed: 1, timesteps: 2 }).results[0].records;
    assert.throws(() => v3DocumentedFigures(v1 as never), /^TypeError: v3DocumentedFigures: the records are not v3 records/);
    const two = simulateV3({ seed: 1, runs: 2, timesteps: 2 }).results.flatMap((r) => r.records);
    assert.throws(() => v3DocumentedFigures(two), /v3DocumentedFigures: the records hold 2 runs/);
    const short = simulateV3({ seed: 1, timesteps: 10 }).results[0].records;
    assert.throws(() => v3DocumentedFigures(short), /v3DocumentedFigures: the reference snapshot of rdf row 50 needs at least 51 timesteps; the run has 10/);
    assert.throws(() => v3DocumentedFigures('x' as never), /^TypeError: v3DocumentedFigures: records must be an array/);
    assert.throws(() => requestShareBar(v1[0] as never), /^TypeError: requestShareBar: genesis must be a v3 state/);
    assert.throws(() => convictionRequiredBar(genesis, { rho: 0.5 }), /params: rho/);
    assert.throws(() => convictionRequiredShareBar(genesis, {}, { title: 3 as never }), /convictionRequiredShareBar: options.title must be a string/);
  });
});

describe('v3Lines', () => {
  it('averages several runs and says of how many', () => {
    const runs = simulateV3({ seed: 2, runs: 3, timesteps: 5 });
    const rows = toRows(runs, { model: 'v3' });
    const f = v3Lines(rows, ['sentiment'], { title: 'sentiment <b>' });
    assert.equal(subtitleOf(f), 'mean of 3 runs at every timestep, timesteps 1–5');
    assert.equal(titleOf(f), 'sentiment &#60;b&#62;');
    const at1 = lastSubstep(rows).filter((r) => r.timestep === 1).map((r) => r.sentiment);
    assert.equal((f.data[0].y as number[])[0], Math.round((at1.reduce((a, b) => a + b, 0) / 3) * 1e4) / 1e4);
  });

  it('names an unknown column and its known ones', () => {
    assert.throws(() => v3Lines(rdf, ['sentimnet']), /^RangeError: v3Lines: unknown column 'sentimnet'; the rows have simulation, subset/);
    assert.throws(() => v3Lines(rdf, []), /v3Lines: columns must be 1 to 12 column names/);
    assert.throws(() => v3Lines(rdf, ['funds'], { names: ['a', 'b'] }), /v3Lines: options.names must give one name per column \(1\)/);
  });
});

describe('triggerReach', () => {
  it('v3: the share-0 trigger is rho·E0/(beta²(1 − alpha)), a fraction rho·E0/(beta²·S0) of S0/(1 − alpha)', () => {
    const r = triggerReach('v3');
    const E0 = 0.8 * (22392.22 - 4867.21);
    assert.ok(Math.abs(r.triggerSupply - E0) < 1e-9);
    assert.ok(Math.abs(r.fraction - (0.0025 * E0) / (0.04 * 22392.22)) < 1e-12);
    assert.ok(Math.abs(r.halfLife - 3) < 1e-12);
    assert.equal(r.tmin, 1);
  });

  it('v1: rho·supply/beta² against expected_supply/(1 − alpha): about 0.31, eight times v3\'s', () => {
    const r = triggerReach('v1');
    assert.ok(Math.abs(r.fraction - (0.02 * 1231286.81) / 0.04 / (1e6 / 0.5)) < 1e-12);
    assert.ok(r.fraction / triggerReach('v3').fraction > 7);
    assert.equal(r.halfLife, 1);
    assert.ok(Math.abs(triggerReach('v1', { rho: 0.002 }).fraction - r.fraction / 10) < 1e-15);
    assert.ok(triggerReach('v3', {}, { share: 0.1 }).trigger > triggerReach('v3').trigger * 3.9);
    assert.throws(() => triggerReach('v2' as 'v1'), /^RangeError: triggerReach: model must be 'v1' or 'v3'/);
    assert.throws(() => triggerReach('v3', {}, { share: 1 }), /triggerReach: options.share must be a number in \[0, 1\)/);
  });
});

function allInfluence(): number[] {
  const w: number[] = [];
  for (let a = 0; a < genesis.network.participantCount; a++) for (const [, x] of genesis.network.linksFrom('influence', a)) w.push(x);
  return w;
}
