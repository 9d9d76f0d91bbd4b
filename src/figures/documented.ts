/**
 * The nine documented figures of MODEL_SPEC §9 from one run's records, in
 * order, with file-friendly names: what `npm run figures` exports and what the
 * lab notebook shows one by one.
 */
import { lastSubstep, toRows } from '../analysis/dataframes';
import type { StateRecord } from '../engine/types';
import type { State } from '../models/v1/state';
import { typeName, type Figure } from './common';
import { affinityHeatmap, fundsRequestedBar, holdingsHistogram } from './distributions';
import { networkSnapshotAt } from './snapshot';
import { convictionShareQuantiles, statusCounts, statusFunds } from './timeseries';

/** A figure with the name it is saved under. */
export interface NamedFigure {
  name: string;
  figure: Figure;
}

/**
 * The timestep the reference's snapshot `K` shows: its code takes `nets[K]` of
 * an rdf that starts at timestep 1 (the genesis row has substep 0), so K = 3 is
 * timestep 4 and K = 56 is timestep 57 (MODEL_SPEC §9).
 */
export function referenceSnapshotTimestep(k: number): number {
  return k + 1;
}

/**
 * The nine documented figures of one run. The snapshots (figures 7 and 8) are
 * the reference's `K = 3` and `K = 56` by default (`snapshots` gives other K):
 * drawn, as the reference drew them, at timesteps K + 1, with a title naming
 * the timestep and a subtitle naming K. Names mirror the reference images'
 * (`7-network-snapshot-t3` holds the K = 3 figure, at timestep 4).
 */
export function documentedFigures(
  records: ReadonlyArray<StateRecord<State>>,
  options: { snapshots?: [number, number] } = {},
): NamedFigure[] {
  const where = 'documentedFigures';
  if (!Array.isArray(records)) throw new TypeError(`${where}: records must be an array of records (simulate().results[0].records), got ${typeName(records)}`);
  if (records.length === 0) throw new RangeError('documentedFigures: the run has no records');
  const runs = new Set(records.map((r) => `${r.simulation}/${r.subset}/${r.run}`));
  if (runs.size > 1) throw new RangeError(`${where}: the records hold ${runs.size} runs; pass one run's records (results[0].records)`);
  const ks = options.snapshots ?? [3, 56];
  if (!(Array.isArray(ks) && ks.length === 2 && ks.every((k) => Number.isInteger(k) && k >= 0))) {
    throw new TypeError(`${where}: options.snapshots must be two integers K ≥ 0 (the reference's nets[K], i.e. timestep K + 1)`);
  }
  const genesis = records[0].network;
  const final = records[records.length - 1];
  const rdf = lastSubstep(toRows([...records]));
  const snapshot = (k: number) => {
    const t = referenceSnapshotTimestep(k);
    return networkSnapshotAt(records, t, { subtitle: `reference K = ${k}: nets[${k}] of an rdf that starts at timestep 1` });
  };
  return [
    { name: '1-genesis-holdings-histogram', figure: holdingsHistogram(genesis) },
    { name: '2-genesis-funds-requested-bar', figure: fundsRequestedBar(genesis) },
    { name: '3-genesis-affinity-heatmap', figure: affinityHeatmap(genesis) },
    {
      name: '4-final-affinity-heatmap',
      figure: affinityHeatmap(final.network, { title: `affinities between participants and proposals, timestep ${final.timestep}` }),
    },
    { name: '5-proposal-status-counts', figure: statusCounts(rdf) },
    { name: '6-proposal-status-funds', figure: statusFunds(rdf) },
    { name: `7-network-snapshot-t${ks[0]}`, figure: snapshot(ks[0]) },
    { name: `8-network-snapshot-t${ks[1]}`, figure: snapshot(ks[1]) },
    { name: '9-conviction-share-of-trigger-quantiles', figure: convictionShareQuantiles(rdf) },
  ];
}
