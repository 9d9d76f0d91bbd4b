/** The models of this project, named once: what `simulate`, experiments, the CLI's `--model` and the dataframes take. */

/** A model's name. */
export type ModelName = 'v1' | 'v3';

/** Names of the models, in the order messages list them. */
export const MODEL_NAMES: ReadonlyArray<ModelName> = ['v1', 'v3'];
