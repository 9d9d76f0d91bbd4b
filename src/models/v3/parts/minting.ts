/** PSUB 2, minting (MODEL_SPEC_V3 §7; original: `minting_rule`): gamma·S new tokens go to the pool. */
import type { History } from '../../../engine/types';
import type { Params } from '../params';
import type { State } from '../state';

/** Signals of `minting_rule`. */
export interface MintSignals {
  mint: number;
}

/** Policy `minting_rule`: today's mint, gamma·S. */
export function mintingRule(params: Params, _k: number, _h: History<State>, s: Readonly<State>): MintSignals {
  const out: MintSignals = { mint: params.gamma * s.total_supply };
  return out;
}

/** Update `total_supply`: S + mint. */
export function mintSupply(_p: Params, _k: number, _h: History<State>, s: State, input: MintSignals) {
  return ['total_supply', s.total_supply + input.mint] as const;
}

/** Update `funds`: F + mint. */
export function mintFunds(_p: Params, _k: number, _h: History<State>, s: State, input: MintSignals) {
  return ['funds', s.funds + input.mint] as const;
}
