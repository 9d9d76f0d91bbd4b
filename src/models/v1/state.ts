import type { Network } from '../shared/network';

/** The model's state variables (MODEL_SPEC §2). */
export interface State {
  /** Participants, proposals and their support edges. */
  network: Network;
  /** The funding pool. */
  funds: number;
}
