/** Post-processing: df/rdf rows and DataFrames, the tidy proposal form, quantiles over time; model descriptions as tables. */
export * from './dataframes';
export * from './tidy';
export * from './quantiles';
export * from './describe';
export * from './bands';
export * from './parquet';
