/** The cadCAD-style engine: nothing here knows about conviction voting. */
export * from './types';
export * from './block';
export * from './core';
export * from './rng';
export * from './sweep';
export * from './validate';
export * from './wrappers';
export * from './errors';
export * from './numpy';
export * from './shard';
export * from './typed';
