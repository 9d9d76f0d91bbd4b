/**
 * One `simulate` for both models: `simulate({ model: 'v3', ... })` runs v3,
 * anything else v1 (the default), with the same options, checks, errors and
 * result shape (`{ results, failures }`). Each model keeps its own entry
 * (`simulate` in models/v1, `simulateV3`); this only chooses between them.
 */
import { ConfigError } from '../engine/errors';
import { showValue } from '../engine/validate';
import type { ExperimentResult } from '../engine/wrappers';
import { simulate as simulateV1, type SimulateOptions } from './v1';
import type { State as V1State } from './v1/state';
import { simulateV3, type SimulateV3Options } from './v3';
import type { State as V3State } from './v3/state';

import type { ModelName } from './names';

/** Runs the v1 model (default) or, with `model: 'v3'`, the v3 model; see each model's `simulate` for the options. */
export function simulate(options?: SimulateOptions & { model?: 'v1' }): ExperimentResult<V1State>;
export function simulate(options: SimulateV3Options & { model: 'v3' }): ExperimentResult<V3State>;
export function simulate(options: (SimulateOptions | SimulateV3Options) & { model?: ModelName } = {}): ExperimentResult<V1State> | ExperimentResult<V3State> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`simulate: options must be an object, got ${showValue(options)}`);
  }
  const { model, ...rest } = options;
  if (model === undefined || model === 'v1') return simulateV1(rest as SimulateOptions);
  if (model === 'v3') return simulateV3(rest as SimulateV3Options);
  throw new ConfigError(`simulate: model must be 'v1' or 'v3', got ${showValue(model)}`);
}
