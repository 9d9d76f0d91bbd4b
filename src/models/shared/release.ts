/**
 * Release of funds, the part both models share (MODEL_SPEC §7 PSUB 3,
 * MODEL_SPEC_V3 §7 PSUB 4): the pool pays each accepted request one by one in
 * id order, and each accepted proposal becomes active with its conviction and
 * its in-edges' stakes released. Which proposals pass differs by model; each
 * model's part calls these with its own state.
 */
import type { Network } from './network';

/** The funds left after paying every accepted proposal, subtracted one by one in id order as the originals do. */
export function payAccepted(funds: number, net: Network, accepted: ReadonlyArray<number>): number {
  let left = funds;
  for (const j of accepted) left -= net.fundsRequested(j);
  return left;
}

/** Makes each accepted proposal active: conviction NaN, its edges' tokens 0 and conviction NaN (the stored trigger is kept). */
export function activateAccepted(net: Network, accepted: ReadonlyArray<number>): Network {
  for (const j of accepted) {
    net.setStatus(j, 'active');
    net.setConviction(j, NaN);
    net.writableTokens(j).fill(0, 0, net.participantCount);
    net.writableEdgeConviction(j).fill(NaN, 0, net.participantCount);
  }
  return net;
}
