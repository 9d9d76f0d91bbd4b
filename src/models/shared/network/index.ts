/**
 * The network store both models share: participants, proposals, support edges
 * participant -> proposal, influence edges participant -> participant and
 * conflict edges proposal -> proposal, in copy-on-write columns.
 */
export * from './types';
export { Network, type OwnSpec } from './network';
export type { ProposalField } from './columns';
export type { EncodedNetworks } from './codec';
