/** conviction-voting: the v1 model, its cadCAD-style engine and the analysis around it. */
export * as engine from './engine';
export * from './model';
export { runConvictionExperiment, buildConvictionExperiment } from './model/experiment';
export type { ExperimentArgs, SimulationArgs } from './model/experiment';
export * as metrics from './analysis/metrics';
export * from './analysis';
export * as figures from './figures';
export { notebookProgress } from './display/progress';
export { showFigure, figureHtml, writeFigureHtml } from './display/plotly';
export * from './model/invariants';
export { showFrame } from './display/frames';
export { writeExperimentParquet } from './io/parquet';
