/**
 * Typed blocks in one list: a model writes each block with its own signals
 * type, and the engine runs them all as blocks over plain `Signals`.
 */
import type { PartialStateUpdateBlock, Signals } from './types';

/**
 * Erases a block's signals type so that blocks of different signals fit in one list.
 * The block's policies and updates were checked against each other by the
 * compiler at this call; the engine then hands the aggregated signals record,
 * unchanged, from the block's policies to the block's updates, so the value an
 * update receives is the `G` its policies returned. TypeScript cannot express
 * that hand-over (the parameter of an update is contravariant in `G`), hence
 * the one cast here instead of one in every model part.
 */
export function block<P, S, G extends object>(b: PartialStateUpdateBlock<P, S, G>): PartialStateUpdateBlock<P, S, Signals> {
  return b as unknown as PartialStateUpdateBlock<P, S, Signals>;
}
