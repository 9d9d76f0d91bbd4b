/** conviction-voting: the v1 model, its cadCAD-style engine and the analysis around it. */
export * as engine from './engine';
export * from './models/v1';
export { runConvictionExperiment, buildConvictionExperiment } from './models/v1/experiment';
export type { ExperimentArgs, SimulationArgs } from './models/v1/experiment';
export * as metrics from './analysis/metrics';
export * from './analysis';
export * as figures from './figures';
export { notebookProgress } from './display/progress';
export { showFigure, figureHtml, writeFigureHtml, figureBundle, setStaticImages, installPlotlyNbextension } from './display/plotly';
export { displayBundle } from './display/bundle';
export * from './models/v1/invariants';
export { showFrame } from './display/frames';
export { simulateV3, convictionVotingModelV3 } from './models/v3';
export type { SimulateV3Options } from './models/v3';
export * as v3 from './models/v3';
export { writeExperimentParquet } from './io/parquet';
