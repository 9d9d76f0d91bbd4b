/** Post-processing: df/rdf rows and numeric DataFrames, the tidy proposal form, quantiles and bands over time, final values by name; model descriptions as tables; frames and tables rendered readable and escaped. */
export * from './dataframes';
export * from './tidy';
export * from './quantiles';
export * from './describe';
export * from './bands';
export * from './series';
export * from './escape';
export * from './frames';
export * from './final';
export * from './parquet';
export * from './metrics-v3';
export * from './alpha';
export * from './compare';
