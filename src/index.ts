/**
 * conviction-voting: the v1 and v3 models, their cadCAD-style engine and the analysis around them.
 * The public API is this explicit list, grouped by layer (imports run engine <- models <- analysis
 * <- figures <- display); a name is public only if it is listed here.
 */

// The engine, as a namespace: it knows nothing about conviction voting.
export * as engine from './engine';

// The v1 model: parameters (declared once), genesis, blocks, maths, samplers, running it.
export {
  convictionVotingModel, networkAt, type State, type SimulateOptions, isParamName, constraintError,
  validateParams, makeParams, paramListing, type ParamSpec, PARAMETERS, type ParamName, type Params,
  PARAM_NAMES, DEFAULT_PARAMS, PARAM_RANGES, PARAM_DOCS, PARAM_UNITS, type ParamConstraint,
  PARAM_CONSTRAINTS, type ParamListingRow, triggerThreshold, convictionStep, convictionAfter, maxConviction,
  stepsToPass, exponential, normal, gamma, polarizedAffinity, uniformIndex, genesisState, BLOCKS
} from './models/v1';

// One `simulate` for both models: `simulate({ model: 'v3' })` runs v3, anything else v1.
export { simulate } from './models/simulate';

// The network store both models share.
export {
  Network, type OwnSpec, type ProposalField, type EncodedNetworks, type ProposalStatus, STATUSES,
  type ParticipantAttrs, type ProposalAttrs, type NodeAttrs, type SupportEdgeAttrs, type InfluenceEdgeAttrs,
  type ConflictEdgeAttrs, type EdgeAttrs, type LinkKind, type ConvictionGraph, type NewProposal
} from './models/shared/network';

// Experiments: JSON-able definitions that run in this thread or on workers.
export { runConvictionExperiment, buildConvictionExperiment } from './models/v1/experiment';
export type { ExperimentArgs, SimulationArgs } from './models/v1/experiment';

// Invariants of the v1 model, checked on a run's records.
export {
  checkInvariants, assertInvariants, INVARIANTS, type InvariantName, type InvariantViolation,
  type InvariantOptions, type InvariantInput, InvariantError
} from './models/v1/invariants';

// The v3 model: its entry points, and everything else under the `v3` namespace.
export { simulateV3, convictionVotingModelV3 } from './models/v3';
export type { SimulateV3Options } from './models/v3';
export * as v3 from './models/v3';

// Analysis: metrics, dataframes, tidy rows, quantiles, bands, series, comparisons, parquet.
export * as metrics from './analysis/metrics';
export {
  isV3State, modelOf, recordsOf, toRows, toRow, toRowV3, lastSubstep, danfo, toDataFrame, toDataFrames,
  META_COLUMNS, FRAME_COLUMN_NAMES, DF_COLUMNS, DF_COLUMN_NAMES, type Row, type ModelName, MODEL_NAMES,
  FRAME_COLUMN_NAMES_V3, DF_COLUMNS_V3, DF_COLUMN_NAMES_V3, type RowV3, type RowOptions, type RecordsInput,
  type DataFrames, tidyProposals, proposalRowsOf, type ProposalRow, TIDY_COLUMNS, TIDY_COLUMN_NAMES,
  quantilesOverTime, medianOf, meanOverTime, PERCENTILES, type QuantileSeries, type QuantileOptions,
  parameterTable, triggerTable, blockTable, markdownTable, PARAM_MEANINGS, type ParameterRow,
  type ParameterTableOptions, type TriggerRow, type BlockRow, type DescribedBlock, type MarkdownTableOptions,
  passedCount, metricRowsOf, metricBands, differingKeys, groupLabels, statsOf, sweepSummary, bandsWith,
  type RunInput, type ExperimentInput, type MetricSpec, BAND_PROBS, type Band, type BandOptions, type Stats,
  type SweepSummaryRow, checkCount, linspace, triggerGrid, convictionSeries, halfLife, recursionChecks, alphaSummaries, type RecursionCheck, type AlphaSummary, triggerBudget,
  candidateBudgets, histogram, MAX_POINTS, type GrowthArgs, type ConvictionSeries, MAX_STEPS,
  type TriggerBudget, type CandidateBudget, MAX_BINS, escapeHtml, escapeMarkdown, formatNumber, formatCell,
  frameHtml, frameText, readableInspect, type FrameLike, type FrameInput, type FrameOptions, finalRecord,
  finalMetrics, finalValue, finalQuantiles, type OneRun, openParquetFile, readParquetRows, readParquetFrame,
  type ParquetColumn, type ParquetFileInfo, type ParquetRow, type ParquetFile, SCALAR_METRICS_V3,
  SCALAR_METRIC_NAMES_V3, alphaFromHalfLife, convictionResponse, stepResponse, noisyInput, groupResponse,
  MAX_RESPONSE_STEPS, type StepResponse, triggerReach, parameterTableV3, reachTable, bandsAcross, passTable,
  type TriggerReach, type ParameterRowV3, type PassRow
} from './analysis';
export { writeExperimentParquet } from './io/parquet';

// Figures: pure plotly figure builders, as a namespace.
export * as figures from './figures';

// Display: showing figures and frames in tslab, standalone HTML, progress.
export { notebookProgress } from './display/progress';
export { showFigure, figureHtml, writeFigureHtml, figureBundle, setStaticImages, installPlotlyNbextension } from './display/plotly';
export { displayBundle } from './display/bundle';
export { showFrame } from './display/frames';
