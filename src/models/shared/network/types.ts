/**
 * The network's vocabulary: proposal statuses, node and edge attributes, and
 * the typed graphology graph they make (MODEL_SPEC §2, MODEL_SPEC_V3 §2).
 */
import type { DirectedGraph } from 'graphology';

/** Status of a proposal. */
export type ProposalStatus = 'candidate' | 'active' | 'completed' | 'failed' | 'killed';
/** All statuses, in the order used by counts and figures. */
export const STATUSES: readonly ProposalStatus[] = ['candidate', 'active', 'completed', 'failed', 'killed'];
/** Attributes of a participant node. */
export interface ParticipantAttrs {
  type: 'participant';
  holdings: number;
  /** Own sentiment in [0, 1) (v3); absent where the model gives participants none (v1). */
  sentiment?: number;
}
/** Attributes of a proposal node. */
export interface ProposalAttrs {
  type: 'proposal';
  status: ProposalStatus;
  conviction: number;
  age: number;
  funds_requested: number;
  trigger: number;
}
/** Attributes of any node. */
export type NodeAttrs = ParticipantAttrs | ProposalAttrs;
/** Attributes of a participant -> proposal support edge. */
export interface SupportEdgeAttrs {
  type: 'support';
  affinity: number;
  tokens: number;
  conviction: number;
}
/** Attributes of a participant -> participant influence edge (v3). */
export interface InfluenceEdgeAttrs {
  type: 'influence';
  influence: number;
}
/** Attributes of a proposal -> proposal conflict edge (v3). */
export interface ConflictEdgeAttrs {
  type: 'conflict';
  conflict: number;
}
/** Attributes of any edge; narrow on `type`. */
export type EdgeAttrs = SupportEdgeAttrs | InfluenceEdgeAttrs | ConflictEdgeAttrs;
/** The kinds of sparse links between nodes of one kind. */
export type LinkKind = 'influence' | 'conflict';
/** The typed graphology graph of the network. */
export type ConvictionGraph = DirectedGraph<NodeAttrs, EdgeAttrs>;

/** A new proposal's attributes (status defaults to candidate). */
export interface NewProposal {
  funds_requested: number;
  trigger: number;
  status?: ProposalStatus;
  conviction?: number;
  age?: number;
}
