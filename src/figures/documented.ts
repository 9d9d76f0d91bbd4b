/**
 * The nine documented figures of MODEL_SPEC §9 from one run's records, in
 * order, with file-friendly names: what `npm run figures` exports and what the
 * lab notebook shows one by one.
 */
import { lastSubstep, toRows } from '../analysis/dataframes';
import type { StateRecord } from '../engine/types';
import { networkAt } from '../model/index';
import type { State } from '../model/state';
import type { Figure } from './common';
import { affinityHeatmap, fundsRequestedBar, holdingsHistogram } from './distributions';
import { networkSnapshot } from './snapshot';
import { convictionShareQuantiles, statusCounts, statusFunds } from './timeseries';

/** A figure with the name it is saved under. */
export interface NamedFigure {
  name: string;
  figure: Figure;
}

/** The nine documented figures of a run (snapshots at `snapshots`, default timesteps 3 and 56). */
export function documentedFigures(
  records: ReadonlyArray<StateRecord<State>>,
  options: { snapshots?: [number, number] } = {},
): NamedFigure[] {
  if (records.length === 0) throw new RangeError('documentedFigures: the run has no records');
  const [early, late] = options.snapshots ?? [3, 56];
  const genesis = records[0].network;
  const final = records[records.length - 1];
  const rdf = lastSubstep(toRows([...records]));
  const snapshotTitle = (t: number) => `Tokens Staked by Participants to Proposals, timestep ${t}`;
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
    { name: `7-network-snapshot-t${early}`, figure: networkSnapshot(networkAt(records, early), { title: snapshotTitle(early) }) },
    { name: `8-network-snapshot-t${late}`, figure: networkSnapshot(networkAt(records, late), { title: snapshotTitle(late) }) },
    { name: '9-conviction-share-of-trigger-quantiles', figure: convictionShareQuantiles(rdf) },
  ];
}
