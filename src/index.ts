/** conviction-voting: the v1 model, its cadCAD-style engine and the analysis around it. */
export * as engine from './engine';
export * from './model';
export * as metrics from './analysis/metrics';
