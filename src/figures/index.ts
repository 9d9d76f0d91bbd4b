/**
 * Figure builders (MODEL_SPEC §9): pure functions returning plotly figures as
 * plain JSON. No DOM and no plotly import, so they run in Node, in tests and in
 * tslab notebooks alike; rendering is the display helpers' job.
 */
export * from './common';
export * from './distributions';
export * from './timeseries';
export * from './snapshot';
export * from './trigger';
export * from './experiments';
export * from './documented';
export * from './influence';
export * from './layout';
export * from './v3';
export * from './alpha';
