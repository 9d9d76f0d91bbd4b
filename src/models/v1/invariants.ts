/**
 * The model's invariants, checkable on any recorded run: what must hold in
 * every state the v1 model can reach, whatever the parameters and the draws.
 * Notebooks state them and check them on the run they show; the tests corrupt a
 * state and expect a violation.
 */
import type { RecordMeta, StateRecord } from '../../engine/types';
import type { State } from './state';

/** Each invariant's name and what it says. */
export const INVARIANTS = Object.freeze({
  'stakes-within-holdings':
    "a participant's tokens staked on candidates never exceed its holdings (a participant arriving in PSUB 1 is exempt until it first acts in PSUB 4 of that timestep)",
  'conviction-is-sum-of-edges': "a candidate's conviction equals the sum of its support edges' conviction",
  'holdings-non-negative': "a participant's holdings are finite and never negative",
  'stakes-non-negative': 'tokens staked on an edge are finite and never negative',
  'funds-non-negative': 'the funding pool is finite and never negative',
});

/** The name of an invariant. */
export type InvariantName = keyof typeof INVARIANTS;

/** One broken invariant: where (the record's ids, a node id when it concerns one node) and what. */
export interface InvariantViolation extends RecordMeta {
  invariant: InvariantName;
  /** Node id of the participant or proposal concerned, when there is one. */
  node?: number;
  message: string;
}

/** Options of `checkInvariants`. */
export interface InvariantOptions {
  /** Relative tolerance of the two sums, for floating-point rounding (default 1e-9). */
  tolerance?: number;
  /** Stop after this many violations (default 100), so a broken run gives a short list. */
  limit?: number;
}

/** Records of one run, several runs, or an experiment result (its runs' records, in order). */
export type InvariantInput = ReadonlyArray<StateRecord<State>> | { results: ReadonlyArray<{ records: ReadonlyArray<StateRecord<State>> }> };

/** The error `assertInvariants` throws: the violations it found. */
export class InvariantError extends Error {
  readonly violations: InvariantViolation[];
  constructor(violations: InvariantViolation[]) {
    const first = violations[0];
    super(`checkInvariants: ${violations.length} violation(s); first: ${first ? first.message : 'none'}`);
    this.name = 'InvariantError';
    this.violations = violations;
  }
}

/** Where a record comes from, for messages. */
function whereOf(r: RecordMeta): string {
  return `simulation ${r.simulation}, subset ${r.subset}, run ${r.run}, timestep ${r.timestep}, substep ${r.substep}`;
}

/** `a` and `b` equal up to a relative tolerance (exactly equal infinities too). */
function near(a: number, b: number, tol: number): boolean {
  return a === b || Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Every violation of the model's invariants (`INVARIANTS`) in the given records:
 * an empty list when all hold, else at most `limit` of them in record order.
 */
export function checkInvariants(input: InvariantInput, options: InvariantOptions = {}): InvariantViolation[] {
  const tol = options.tolerance ?? 1e-9;
  const limit = options.limit ?? 100;
  if (!(tol >= 0)) throw new RangeError(`checkInvariants: tolerance must be a number >= 0, got ${String(options.tolerance)}`);
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`checkInvariants: limit must be an integer >= 1, got ${String(options.limit)}`);
  let records: ReadonlyArray<StateRecord<State>>;
  if (Array.isArray(input)) records = input;
  else if (input && typeof input === 'object' && Array.isArray((input as { results?: unknown }).results)) {
    records = (input as { results: ReadonlyArray<{ records: ReadonlyArray<StateRecord<State>> }> }).results.flatMap((r) => r.records);
  } else throw new TypeError('checkInvariants: expected a run’s records or an experiment result');

  const out: InvariantViolation[] = [];
  const add = (rec: RecordMeta, invariant: InvariantName, message: string, node?: number): boolean => {
    const v: InvariantViolation = { simulation: rec.simulation, subset: rec.subset, run: rec.run, timestep: rec.timestep, substep: rec.substep, invariant, message: `${whereOf(rec)}: ${message}` };
    if (node !== undefined) v.node = node;
    out.push(v);
    return out.length >= limit;
  };
  // A timestep's state is settled at its last substep (and at genesis). The
  // reference's arrival gives a newcomer stakes of affinity × holdings on every
  // proposal, which can add up to more than it holds; PSUB 4 restakes them within
  // its holdings. So within a timestep, participants beyond the last settled
  // count are newcomers and skip the stakes check.
  const lastSubstep = new Map<number, number>();
  for (const rec of records) lastSubstep.set(rec.simulation, Math.max(lastSubstep.get(rec.simulation) ?? 0, rec.substep));
  const settled = new Map<string, number>();
  for (const rec of records) {
    const net = rec?.network;
    if (!net || typeof net.proposalsWithStatus !== 'function') throw new TypeError(`checkInvariants: a record without a network (${rec ? whereOf(rec) : String(rec)})`);
    const runKey = `${rec.simulation}/${rec.subset}/${rec.run}`;
    const isSettled = rec.substep === 0 || rec.substep === lastSubstep.get(rec.simulation);
    const known = isSettled ? net.participantCount : (settled.get(runKey) ?? net.participantCount);
    if (isSettled) settled.set(runKey, net.participantCount);
    if (!(Number.isFinite(rec.funds) && rec.funds >= 0)) {
      if (add(rec, 'funds-non-negative', `funds are ${rec.funds}`)) return out;
    }
    const candidates = net.proposalsWithStatus('candidate');
    for (let i = 0; i < net.participantCount; i++) {
      const h = net.holdings(i);
      const pid = net.participantId(i);
      if (!(Number.isFinite(h) && h >= 0)) {
        if (add(rec, 'holdings-non-negative', `participant ${pid} holds ${h}`, pid)) return out;
        continue;
      }
      let staked = 0;
      for (const j of candidates) {
        const t = net.tokens(i, j);
        if (!(Number.isFinite(t) && t >= 0)) {
          if (add(rec, 'stakes-non-negative', `participant ${pid} stakes ${t} on proposal ${net.proposalId(j)}`, pid)) return out;
          continue;
        }
        staked += t;
      }
      if (i < known && staked > h && !near(staked, h, tol)) {
        if (add(rec, 'stakes-within-holdings', `participant ${pid} stakes ${staked} on candidates but holds ${h}`, pid)) return out;
      }
    }
    for (const j of candidates) {
      let sum = 0;
      for (let i = 0; i < net.participantCount; i++) sum += net.edgeConviction(i, j);
      const c = net.conviction(j);
      if (!near(c, sum, tol)) {
        const qid = net.proposalId(j);
        if (add(rec, 'conviction-is-sum-of-edges', `candidate ${qid} has conviction ${c} but its edges sum to ${sum}`, qid)) return out;
      }
    }
  }
  return out;
}

/** Throws an `InvariantError` listing the violations when any invariant is broken; returns the number of records checked. */
export function assertInvariants(input: InvariantInput, options: InvariantOptions = {}): number {
  const violations = checkInvariants(input, options);
  if (violations.length > 0) throw new InvariantError(violations);
  return Array.isArray(input) ? input.length : (input as { results: ReadonlyArray<{ records: ReadonlyArray<unknown> }> }).results.reduce((n, r) => n + r.records.length, 0);
}
