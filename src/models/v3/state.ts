/** The v3 model's state variables (MODEL_SPEC_V3 §2). */
import type { Forkable } from '../../engine/types';
import type { Network } from '../shared/network';

/** Shares of the proposals in three statuses, as the original's `fractionOfProposalStages` record. */
export interface ProposalStages {
  percentageOfActive: number;
  percentageOfCompleted: number;
  percentageOfKilled: number;
}

/** Shares of the requested funds in three statuses, as the original's `fractionOfFundStages` record. */
export interface FundStages {
  percentageOfActiveFundsRequested: number;
  percentageOfCompletedFundsRequested: number;
  percentageOfKilledFundsRequested: number;
}

/**
 * An immutable record in the state. The engine deep-copies plain objects at
 * every substep; a value that is never changed in place can be shared, so it
 * forks to itself (601 structured clones a run saved).
 */
export class Fractions<T extends object> implements Forkable<Fractions<T>> {
  readonly values: Readonly<T>;
  constructor(values: T) {
    this.values = Object.freeze({ ...values });
    Object.freeze(this);
  }
  /** The same object: it never changes. */
  fork(): Fractions<T> {
    return this;
  }
}

/** The v3 state. */
export interface State {
  /** Participants (with own sentiment), proposals, support, influence and conflict edges. */
  network: Network;
  /** The funding pool F. */
  funds: number;
  /** Global community sentiment, in [0, 1]. */
  sentiment: number;
  /** Total token supply S, grown by minting. */
  total_supply: number;
  /** Supply committed to voting E, used by the trigger; grows with newcomers' holdings. */
  effective_supply: number;
  /** E / S. */
  fractionOfSupplyForVoting: number;
  /** S / F (the inverse of its name: slip 11). */
  fractionOfSupplyInPool: number;
  /** Shares of proposals by status (0 at genesis, as the original). */
  fractionOfProposalStages: Fractions<ProposalStages> | 0;
  /** Shares of requested funds by status (0 at genesis). */
  fractionOfFundStages: Fractions<FundStages> | 0;
}
