import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRange, rangeError } from '../src/engine/validate';
import { runExperiment, validateSeed, validateSimulation } from '../src/engine/wrappers';
import { convictionVotingModel, simulate } from '../src/models/v1';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_PARAMS,
  PARAMETERS,
  PARAM_CONSTRAINTS,
  PARAM_DOCS,
  PARAM_NAMES,
  PARAM_RANGES,
  PARAM_UNITS,
  constraintError,
  isParamName,
  makeParams,
  paramListing,
  validateParams,
  type Params,
} from '../src/models/v1/params';

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
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, supply: Infinity }), 'params: supply', 'a finite number > 0 and <= 1000000000000000');
    throwsRange(() => validateParams({ ...DEFAULT_PARAMS, initial_funds: -Infinity }), 'initial_funds', 'a finite number >= 0.000001');
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
      ['initial_funds', 0, 'initial_funds must be a finite number >= 0.000001 and <= 1000000000000000, got 0'],
      ['initial_funds', 1.7976931348623157e308, 'initial_funds must be a finite number >= 0.000001 and <= 1000000000000000, got 1.7976931348623157e+308'],
      ['expected_supply', -1, 'expected_supply must be a finite number > 0 and <= 1000000000000000, got -1'],
      ['expected_supply', 1e16, 'expected_supply must be a finite number > 0 and <= 1000000000000000, got 10000000000000000'],
      ['supply', 0, 'supply must be a finite number > 0 and <= 1000000000000000, got 0'],
      ['sentiment', 1.2, 'sentiment must be a finite number >= 0 and <= 1, got 1.2'],
      ['sentiment', -0.1, 'sentiment must be a finite number >= 0 and <= 1, got -0.1'],
      ['beta', 0, 'beta must be a finite number >= 0.000001 and < 1, got 0'],
      ['beta', 1e-150, 'beta must be a finite number >= 0.000001 and < 1, got 1e-150'],
      ['beta', 1, 'beta must be a finite number >= 0.000001 and < 1, got 1'],
      ['rho', 0, 'rho must be a finite number > 0, got 0'],
      ['rho', -0.02, 'rho must be a finite number > 0, got -0.02'],
      ['alpha', 1, 'alpha must be a finite number >= 0 and < 1, got 1'],
      ['alpha', -0.5, 'alpha must be a finite number >= 0 and < 1, got -0.5'],
      ['sensitivity', 1.01, 'sensitivity must be a finite number >= 0 and <= 1, got 1.01'],
      ['tmin', -1, 'tmin must be an integer >= 0, got -1'],
      ['min_supp', -5, 'min_supp must be a finite number >= 0, got -5'],
      ['base_completion_rate', 0, 'base_completion_rate must be a finite number >= 8, got 0'],
      ['base_completion_rate', 7.9, 'base_completion_rate must be a finite number >= 8, got 7.9'],
      ['base_failure_rate', -1, 'base_failure_rate must be a finite number >= 8, got -1'],
      ['gain', -0.01, 'gain must be a finite number >= 0 and <= 100, got -0.01'],
      ['gain', 1e308, 'gain must be a finite number >= 0 and <= 100, got 1e+308'],
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
    throwsRange(() => makeParams({ beta: 1 }), 'params: beta must be a finite number >= 0.000001 and < 1, got 1');
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

describe('#.PARAM_CONSTRAINTS', () => {
  it('should throw if gain makes holdings fall below zero, naming the fields, the value and the range', () => {
    // gain 7 at the default sentiment 0.6 and sensitivity 0.75: an engaged participant would lose 105 % a day
    throwsRange(
      () => makeParams({ gain: 7 }),
      'params: gain * (sentiment - sensitivity) must be a finite number >= -0.99 and <= 0.1, got -1.05',
      '(gain = 7, sentiment = 0.6, sensitivity = 0.75)',
    );
    throwsRange(() => makeParams({ gain: 0.5, sentiment: 1, sensitivity: 0.7 }), 'gain * (sentiment - sensitivity)', 'got 0.15');
  });

  it('should throw if the least trigger leaves its range, naming rho, supply and beta', () => {
    throwsRange(() => makeParams({ rho: 5e-324 }), 'params: rho * supply / beta^2 must be a finite number >= 0.000001 and <= 1e+30', 'rho = 5e-324');
    throwsRange(() => makeParams({ rho: 1e30 }), 'rho * supply / beta^2', 'supply = 1231286.81, beta = 0.2');
    // rho · supply / beta² overflows: Infinity is named as it is
    throwsRange(() => makeParams({ rho: 1e300, supply: 1e15 }), 'rho * supply / beta^2', 'got Infinity');
  });

  it('should throw if the genesis network has more than 1e6 edges', () => {
    throwsRange(() => makeParams({ n: 100000000, m: 1 }), 'params: n * m must be an integer >= 1 and <= 1000000, got 100000000 (n = 100000000, m = 1)');
    throwsRange(() => makeParams({ n: 1001, m: 1000 }), 'n * m', 'got 1001000');
  });

  it('should accept each constraint on its bounds', () => {
    makeParams({ n: 1000, m: 1000 });
    makeParams({ gain: 1.98, sentiment: 0.25, sensitivity: 0.75 }); // -0.99 exactly (halving is exact)
    makeParams({ gain: 0.1, sentiment: 1, sensitivity: 0 }); // 0.1
    makeParams({ gain: 100, sentiment: 0.5, sensitivity: 0.5 }); // 0: any gain is harmless when there is no force
    makeParams({ rho: 1e-6 * 0.25, supply: 1, beta: 0.5 }); // 1e-6 exactly (powers of two)
    makeParams({ rho: 1e30 * 0.25, supply: 1, beta: 0.5 }); // 1e30 exactly
  });

  it('should check the fields before the constraints', () => {
    throwsRange(() => makeParams({ gain: 1e308 }), 'params: gain must be a finite number >= 0 and <= 100, got 1e+308');
    throwsRange(() => makeParams({ beta: 0 }), 'params: beta must be');
  });

  it('should hold at the defaults', () => {
    assert.equal(constraintError(DEFAULT_PARAMS), null);
    for (const c of PARAM_CONSTRAINTS) for (const f of c.fields) assert.ok(isParamName(f), `${c.name}: ${f}`);
  });
});

describe('#.PARAMETERS', () => {
  it('should be the one declaration the defaults, ranges, names, docs and units derive from', () => {
    assert.deepEqual(Object.keys(PARAMETERS), PARAM_NAMES);
    const specs: Record<string, { default: number; range: object; doc: string; unit?: string; why: string }> = PARAMETERS;
    for (const name of PARAM_NAMES) {
      assert.equal(DEFAULT_PARAMS[name], specs[name].default, name);
      assert.deepEqual(PARAM_RANGES[name], specs[name].range, name);
      assert.equal(PARAM_DOCS[name], specs[name].doc, name);
      assert.equal(PARAM_UNITS[name], specs[name].unit ?? '', name);
      assert.ok(specs[name].doc.length > 10 && !specs[name].doc.includes('\n'), `${name}: a one-line doc`);
      assert.ok(specs[name].why.length > 10, `${name}: the reason for its range`);
    }
    assert.ok(Object.isFrozen(PARAM_RANGES) && Object.isFrozen(PARAM_DOCS));
  });

  it('should list every parameter, then every constraint, with its default, range, unit and doc', () => {
    const rows = paramListing();
    assert.deepEqual(rows.map((r) => r.name), [...PARAM_NAMES, ...PARAM_CONSTRAINTS.map((c) => c.name)]);
    const gain = rows.find((r) => r.name === 'gain')!;
    assert.deepEqual([gain.default, gain.allowed], [0.01, 'a finite number >= 0 and <= 100']);
    assert.equal(rows.find((r) => r.name === 'tmin')!.unit, 'timesteps');
    const rate = rows.find((r) => r.name === 'gain * (sentiment - sensitivity)')!;
    // at the defaults: 0.01 · (0.6 − 0.75)
    assert.ok(Math.abs(rate.default - -0.0015) < 1e-15, String(rate.default));
    assert.equal(rate.allowed, 'a finite number >= -0.99 and <= 0.1');
  });
});

describe('#.data presets', () => {
  const dir = join(__dirname, '..', 'data');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('should all be valid parameter sets', () => {
    assert.ok(files.length >= 2, files.join(', '));
    for (const f of files) makeParams(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Partial<Params>);
  });

  it('should document every parameter and constraint in data/README.md as declared', () => {
    const lines = readFileSync(join(dir, 'README.md'), 'utf8').split('\n');
    for (const row of paramListing()) {
      const line = lines.find((l) => l.startsWith(`| \`${row.name}\` |`));
      assert.ok(line, `data/README.md has no row for ${row.name}`);
      assert.ok(line.includes(`| ${row.allowed} |`), `data/README.md: ${row.name} allowed '${row.allowed}' in '${line}'`);
      assert.ok(line.includes(`| ${row.doc} |`), `data/README.md: ${row.name} doc '${row.doc}'`);
    }
  });

  it('should hold the defaults in defaults.json', () => {
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'defaults.json'), 'utf8')), { ...DEFAULT_PARAMS });
  });
});
