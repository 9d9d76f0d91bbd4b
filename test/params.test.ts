import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRange, rangeError } from '../src/engine/validate';
import { runExperiment, validateSeed, validateSimulation } from '../src/engine/wrappers';
import { convictionVotingModel, simulate } from '../src/model';
import { DEFAULT_PARAMS, PARAM_NAMES, PARAM_RANGES, isParamName, makeParams, validateParams, type Params } from '../src/model/params';

/** Asserts `f` throws a RangeError whose message contains every fragment. */
function throwsRange(f: () => unknown, ...fragments: string[]): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof RangeError, `expected a RangeError, got ${String(e)}`);
    for (const frag of fragments) assert.ok(e.message.includes(frag), `message '${e.message}' lacks '${frag}'`);
    return true;
  });
}

describe('#.validateParams', () => {
  it('should throw if a parameter is not a number', () => {
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, alpha: '0.5' as unknown as number }), 'alpha', '"0.5"', 'a finite number >= 0 and < 1');
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, n: undefined as unknown as number }), 'n must be an integer >= 1');
  });

  it('should throw if a parameter is infinite', () => {
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, supply: Infinity }), 'params: supply', 'a finite number > 0');
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, initial_funds: -Infinity }), 'initial_funds', 'a finite number > 0');
  });

  it('should throw if a parameter is NaN', () => {
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, rho: NaN }), 'params: rho must be a finite number > 0');
  });

  it(
    'should name a non-finite value as it is (NaN, Infinity) in the message',
    () => {
      throwsRange(() => validateParams({ ...DEFAULT_PARAMS, rho: NaN }), 'rho', 'got NaN');
      throwsRange(() => validateParams({ ...DEFAULT_PARAMS, supply: Infinity }), 'supply', 'got Infinity');
      throwsRange(() => validateSimulation({ model: convictionVotingModel(), timesteps: -Infinity, runs: 1 }), 'timesteps (T)', 'got -Infinity');
      throwsRange(() => validateSeed(NaN), 'seed', 'got NaN');
    },
  );

  it('should throw if a parameter is out of its range, naming field, value and range', () => {
    const cases: Array<[keyof Params, number, string]> = [
      ['n', 0, 'n must be an integer >= 1, got 0'],
      ['m', -2, 'm must be an integer >= 1, got -2'],
      ['initial_funds', 0, 'initial_funds must be a finite number > 0, got 0'],
      ['expected_supply', -1, 'expected_supply must be a finite number > 0, got -1'],
      ['supply', 0, 'supply must be a finite number > 0, got 0'],
      ['sentiment', 1.2, 'sentiment must be a finite number >= 0 and <= 1, got 1.2'],
      ['sentiment', -0.1, 'sentiment must be a finite number >= 0 and <= 1, got -0.1'],
      ['beta', 0, 'beta must be a finite number > 0 and < 1, got 0'],
      ['beta', 1, 'beta must be a finite number > 0 and < 1, got 1'],
      ['rho', 0, 'rho must be a finite number > 0, got 0'],
      ['rho', -0.02, 'rho must be a finite number > 0, got -0.02'],
      ['alpha', 1, 'alpha must be a finite number >= 0 and < 1, got 1'],
      ['alpha', -0.5, 'alpha must be a finite number >= 0 and < 1, got -0.5'],
      ['sensitivity', 1.01, 'sensitivity must be a finite number >= 0 and <= 1, got 1.01'],
      ['tmin', -1, 'tmin must be an integer >= 0, got -1'],
      ['min_supp', -5, 'min_supp must be a finite number >= 0, got -5'],
      ['base_completion_rate', 0, 'base_completion_rate must be a finite number > 0, got 0'],
      ['base_failure_rate', -1, 'base_failure_rate must be a finite number > 0, got -1'],
      ['gain', -0.01, 'gain must be a finite number >= 0, got -0.01'],
    ];
    for (const [name, value, msg] of cases) {
      throwsRange(() => validateParams({ ...DEFAULT_PARAMS, [name]: value }), `params: ${msg}`);
    }
  });

  it('should throw if an integer parameter is fractional', () => {
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, n: 1.5 }), 'params: n must be an integer >= 1, got 1.5');
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, m: 2.01 }), 'm must be an integer', 'got 2.01');
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, tmin: 6.5 }), 'tmin must be an integer >= 0, got 6.5');
  });

  it('should throw if a parameter name is unknown, listing the known ones', () => {
    throwsRange(
      () => validateParams({ ...DEFAULT_PARAMS, theta: 0.35 } as unknown as Params),
      "unknown parameter 'theta'",
      'known: n, m, initial_funds',
    );
  });

  it('should throw a TypeError if params is not an object', () => {
    assert.throws(() => validateParams(null as unknown as Params), TypeError);
  });

  it('should accept the defaults and the edges of every closed range', () => {
    validateParams({ ...DEFAULT_PARAMS });
    validateParams({ ...DEFAULT_PARAMS, sentiment: 0, sensitivity: 0, alpha: 0, tmin: 0, min_supp: 0, gain: 0 });
    validateParams({ ...DEFAULT_PARAMS, sentiment: 1, sensitivity: 1, beta: 0.999, alpha: 0.999, n: 1, m: 1 });
  });

  it('should have one range per parameter and defaults inside their ranges', () => {
    assert.deepEqual(Object.keys(PARAM_RANGES).sort(), [...PARAM_NAMES].sort());
    for (const name of PARAM_NAMES) assert.equal(rangeError(name, DEFAULT_PARAMS[name], PARAM_RANGES[name], 'p'), null);
  });

  it('should hold the reference defaults of MODEL_SPEC §3', () => {
    assert.deepEqual({ ...DEFAULT_PARAMS }, {
      n: 60,
      m: 3,
      initial_funds: 40781.42,
      expected_supply: 1e6,
      supply: 1231286.81,
      sentiment: 0.6,
      beta: 0.2,
      rho: 0.02,
      alpha: 0.5,
      sensitivity: 0.75,
      tmin: 7,
      min_supp: 50,
      base_completion_rate: 100,
      base_failure_rate: 200,
      gain: 0.01,
    });
    assert.ok(Object.isFrozen(DEFAULT_PARAMS));
  });
});

describe('#.isParamName', () => {
  it('should know the parameters and nothing inherited', () => {
    assert.equal(isParamName('alpha'), true);
    assert.equal(isParamName('T'), false);
    assert.equal(isParamName('toString'), false);
  });
});

describe('#.makeParams', () => {
  it('should throw if an override is invalid, naming the field', () => {
    throwsRange(() => makeParams({ beta: 1 }), 'params: beta must be a finite number > 0 and < 1, got 1');
    throwsRange(() => makeParams({ alpha: 1 }), 'params: alpha must be a finite number >= 0 and < 1, got 1');
    throwsRange(() => makeParams({ rho: 0 }), 'params: rho must be a finite number > 0, got 0');
    throwsRange(() => makeParams({ n: 1.5 }), 'params: n must be an integer >= 1, got 1.5');
    throwsRange(() => makeParams({ alpha: NaN }), 'params: alpha must be a finite number >= 0 and < 1');
    throwsRange(() => makeParams({ bogus: 1 } as unknown as Partial<Params>), "unknown parameter 'bogus'");
  });

  it('should return the defaults with the overrides', () => {
    const p = makeParams({ rho: 0.002, n: 10 });
    assert.deepEqual(p, { ...DEFAULT_PARAMS, rho: 0.002, n: 10 });
    assert.deepEqual(makeParams(), { ...DEFAULT_PARAMS });
  });

  it('should not share or change the defaults', () => {
    const p = makeParams();
    p.alpha = 0.9;
    assert.equal(DEFAULT_PARAMS.alpha, 0.5);
  });
});

describe('#.describeRange', () => {
  it('should describe ranges in words', () => {
    assert.equal(describeRange({ integer: true, min: 1 }), 'an integer >= 1');
    assert.equal(describeRange({ min: 0, max: 1, minExclusive: true, maxExclusive: true }), 'a finite number > 0 and < 1');
    assert.equal(describeRange({ max: 3 }), 'a finite number <= 3');
    assert.equal(describeRange({}), 'a finite number');
  });
});

describe('#.validateSimulation', () => {
  const model = convictionVotingModel();

  it('should throw if timesteps is 0', () => {
    throwsRange(() => validateSimulation({ model, timesteps: 0, runs: 1 }), 'simulation 0: timesteps (T) must be an integer >= 1, got 0');
  });

  it('should throw if timesteps is fractional', () => {
    throwsRange(() => validateSimulation({ model, timesteps: 1.5, runs: 1 }), 'timesteps (T) must be an integer >= 1, got 1.5');
  });

  it('should throw if timesteps is not finite', () => {
    throwsRange(() => validateSimulation({ model, timesteps: Infinity, runs: 1 }), 'timesteps (T) must be an integer >= 1');
    throwsRange(() => validateSimulation({ model, timesteps: NaN, runs: 1 }), 'timesteps (T)');
  });

  it('should throw if runs is 0 or fractional, naming the simulation index', () => {
    throwsRange(() => validateSimulation({ model, timesteps: 10, runs: 0 }, 2), 'simulation 2: runs (N) must be an integer >= 1, got 0');
    throwsRange(() => validateSimulation({ model, timesteps: 10, runs: 2.5 }), 'runs (N) must be an integer >= 1, got 2.5');
  });

  it('should accept positive whole T and N', () => {
    validateSimulation({ model, timesteps: 1, runs: 1 });
    validateSimulation({ model, timesteps: 100, runs: 60 });
  });
});

describe('#.validateSeed', () => {
  it('should throw if the seed is not an integer within ±(2^53 − 1) or a non-empty string', () => {
    for (const bad of [NaN, Infinity, 1.5, 2 ** 53, -(2 ** 53), 1e21, '', null, undefined, {}, [1]]) {
      throwsRange(() => validateSeed(bad), 'config: seed must be an integer within ±(2^53 − 1) or a non-empty string');
    }
    assert.throws(() => validateSeed(12345678901234567890), /pass a larger seed as a string/);
  });

  it('should accept safe integers and non-empty strings', () => {
    for (const ok of [0, -3, 2 ** 53 - 1, -(2 ** 53 - 1), 'abc', '0', '12345678901234567890']) validateSeed(ok);
  });
});

describe('#.simulate (validation)', () => {
  it('should throw if a parameter override is invalid', () => {
    throwsRange(() => simulate({ params: { beta: 1 }, timesteps: 1 }), 'beta', 'got 1');
  });

  it('should throw if a swept parameter set is invalid, before running anything', () => {
    let progress = 0;
    throwsRange(
      () => simulate({ sweep: { alpha: [0.5, 1] }, timesteps: 1, onProgress: () => progress++ }),
      'params: alpha must be a finite number >= 0 and < 1, got 1',
    );
    assert.equal(progress, 0);
  });

  it('should throw if T, N or the seed is invalid', () => {
    throwsRange(() => simulate({ timesteps: 0 }), 'timesteps (T)', 'got 0');
    throwsRange(() => simulate({ timesteps: 1.5 }), 'timesteps (T)', 'got 1.5');
    throwsRange(() => simulate({ timesteps: 1, runs: 0 }), 'runs (N)', 'got 0');
    throwsRange(() => simulate({ timesteps: 1, seed: '' }), 'seed');
    throwsRange(() => runExperiment([{ model: convictionVotingModel(), timesteps: 1, runs: 1 }], { seed: NaN }), 'seed');
  });
});
