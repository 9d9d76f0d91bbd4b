/**
 * Shared helpers of the test suite: a scripted generator (every draw chosen by
 * the test), tiny hand-built networks, a one-block runner and a numeric digest
 * of a network. No randomness of its own.
 */
import { runOnce } from '../../src/engine/core';
import { uniformSource, type UniformSource } from '../../src/engine/rng';
import type { Context, PartialStateUpdateBlock, RandomSource } from '../../src/engine/types';
import { BLOCKS } from '../../src/models/v1/blocks';
import { Network, type ProposalStatus } from '../../src/models/shared/network';
import { makeParams, type Params } from '../../src/models/v1/params';
import type { State } from '../../src/models/v1/state';

/** A generator whose uniforms are the given numbers in order (the default samplers draw from them); it throws when asked for one more. */
export interface ScriptedRng extends UniformSource {
  /** How many scripted numbers have not been drawn yet. */
  remaining(): number;
}

/** Returns `values` one by one, then throws: the test controls every draw. */
export function scripted(values: readonly number[]): ScriptedRng {
  const queue = [...values];
  const next = (): number => {
    if (queue.length === 0) throw new Error('scripted rng: exhausted (the code drew more numbers than scripted)');
    return queue.shift() as number;
  };
  return Object.assign(uniformSource(next), { remaining: () => queue.length });
}

/** A context for calling a policy or update directly. */
export function ctxOf(rng: RandomSource, timestep = 1): Context {
  return { simulation: 0, subset: 0, run: 1, timestep, rng };
}

/** Defaults with overrides, validated. */
export function P(overrides: Partial<Params> = {}): Params {
  return makeParams(overrides);
}

/** A proposal of a tiny network. */
export interface TinyProposal {
  status?: ProposalStatus;
  conviction?: number;
  age?: number;
  funds_requested: number;
  trigger?: number;
}

/** A tiny network description; edge matrices are indexed [participant][proposal]. */
export interface TinySpec {
  holdings: number[];
  proposals: TinyProposal[];
  affinity: number[][];
  tokens?: number[][];
  conviction?: number[][];
}

/** Builds participants 0..nP-1 then proposals nP..nP+nQ-1 through the Network API. */
export function tinyNetwork(spec: TinySpec): Network {
  const net = new Network();
  for (const h of spec.holdings) net.addParticipant(h, () => ({ affinity: 0 }));
  spec.proposals.forEach((q, j) => {
    net.addProposal(
      {
        funds_requested: q.funds_requested,
        trigger: q.trigger ?? 0,
        status: q.status,
        conviction: q.conviction,
        age: q.age,
      },
      (i) => spec.affinity[i][j],
    );
  });
  spec.holdings.forEach((_, i) => {
    spec.proposals.forEach((_q, j) => {
      if (spec.tokens) net.setTokens(i, j, spec.tokens[i][j]);
      if (spec.conviction) net.setEdgeConviction(i, j, spec.conviction[i][j]);
    });
  });
  return net;
}

/**
 * Runs one of the model's blocks (1..4) for one timestep through the engine on
 * `state` with the scripted draws, checks every scripted draw was used, and
 * returns the resulting record's state.
 */
export function runBlock(k: 1 | 2 | 3 | 4, params: Params, state: State, draws: readonly number[]): State {
  const rng = scripted(draws);
  const res = runOnce<Params, State>({
    blocks: [BLOCKS[k - 1] as PartialStateUpdateBlock<Params, State>],
    params,
    genesis: state,
    timesteps: 1,
    rng,
    simulation: 0,
    subset: 0,
    run: 1,
  });
  if (rng.remaining() !== 0) {
    throw new Error(`runBlock: block ${k} left ${rng.remaining()} scripted draw(s) unused`);
  }
  const rec = res.records[1];
  return { network: rec.network, funds: rec.funds };
}

/** FNV-1a over the bytes of the numbers: a digest that changes when any value (or NaN-ness) changes. */
export function digestNumbers(values: ArrayLike<number>): string {
  const f = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) f[k] = Number.isNaN(values[k]) ? NaN : values[k];
  const bytes = new Uint8Array(f.buffer);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ values.length;
  for (let k = 0; k < bytes.length; k++) {
    h1 = Math.imul(h1 ^ bytes[k], 0x01000193);
    h2 = Math.imul(h2 ^ bytes[k], 0x5bd1e995) ^ (h2 >>> 15);
  }
  return `${values.length}:${(h1 >>> 0).toString(16)}:${(h2 >>> 0).toString(16)}`;
}

/** Every value of a network (ids, node attributes, edge attributes), in a fixed order. */
export function networkValues(net: Network): number[] {
  const out: number[] = [net.participantCount, net.proposalCount, net.nodeCount];
  for (let i = 0; i < net.participantCount; i++) out.push(net.participantId(i), net.holdings(i));
  for (let j = 0; j < net.proposalCount; j++) {
    out.push(
      net.proposalId(j),
      ['candidate', 'active', 'completed', 'failed', 'killed'].indexOf(net.status(j)),
      net.conviction(j),
      net.age(j),
      net.fundsRequested(j),
      net.trigger(j),
    );
    for (let i = 0; i < net.participantCount; i++) {
      out.push(net.affinity(i, j), net.tokens(i, j), net.edgeConviction(i, j));
    }
  }
  return out;
}

/** A digest of a state (its network's values and its funds). */
export function digestState(s: State): string {
  return digestNumbers([...networkValues(s.network), s.funds]);
}

/** Relative closeness: |a - b| <= rel * max(1, |a|, |b|). */
export function close(a: number, b: number, rel = 1e-12): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Mean and sample standard deviation. */
export function meanSd(xs: readonly number[]): { mean: number; sd: number; n: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = n > 1 ? xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1) : 0;
  return { mean, sd: Math.sqrt(v), n };
}

/** Asserts relative closeness with a message showing both values. */
export function assertClose(actual: number, expected: number, rel = 1e-12, what = 'value'): void {
  if (!close(actual, expected, rel)) {
    throw new assertionError(`${what}: expected ${expected}, got ${actual} (relative tolerance ${rel})`);
  }
}

class assertionError extends Error {
  override name = 'AssertionError';
}

/** `net.toGraph().export()`: the serialised graphology graph of a network. */
export function exportOf(net: Network): ReturnType<ReturnType<Network['toGraph']>['export']> {
  return net.toGraph().export();
}

/** Whether proposal status `from` may become `to` within v1 substep k (MODEL_SPEC §7); anything else is a bug. */
export function allowedChange(from: ProposalStatus, to: ProposalStatus, k: number): boolean {
  if (from === to) return true;
  if (from === 'active' && (to === 'completed' || to === 'failed')) return k === 2;
  if (from === 'candidate' && to === 'active') return k === 3;
  if (from === 'candidate' && to === 'killed') return k === 4;
  return false;
}
