/**
 * The model's public entry points: failing runs are thrown with where they failed (or collected on
 * request), and bad options, arguments and records are refused with an error naming the function,
 * the option and what is allowed, before any run starts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError, ConfigError, RunError } from '../src/engine/errors';
import { convictionVotingModel, networkAt, Network, simulate } from '../src/models/v1';
import { runConvictionExperiment } from '../src/models/v1/experiment';

/** Makes block 2's policy (check_progress, the only caller of proposalsWithStatus('active')) throw at its `nth` call. */
function breakProgressAt<T>(nth: number, body: () => T): T {
  const original = Network.prototype.proposalsWithStatus;
  let n = 0;
  Network.prototype.proposalsWithStatus = function (this: Network, status, ...rest) {
    if (status === 'active' && ++n === nth) throw new Error('progress check failed');
    return original.call(this, status, ...rest);
  } as typeof original;
  const restore = (): void => {
    Network.prototype.proposalsWithStatus = original;
  };
  let result: T;
  try {
    result = body();
  } catch (e) {
    restore();
    throw e;
  }
  // An experiment that runs after a tick (runConvictionExperiment) keeps the patch until it settles.
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}

describe('#.simulate', () => {
  it('should throw the failing run as a RunError naming simulation, subset, run, timestep, substep and block', () => {
    breakProgressAt(17, () =>
      assert.throws(
        () => simulate({ seed: 3, timesteps: 30 }),
        (e: unknown) => {
          assert.ok(e instanceof RunError);
          assert.equal(
            e.message,
            'simulate: run failed (simulation 0, subset 0, run 1, timestep 17, substep 2, block 2 (progress of funded work: active proposals complete or fail)): progress check failed',
          );
          assert.equal(e.location.timestep, 17);
          assert.equal(e.location.substep, 2);
          const cause = e.cause as Error;
          assert.equal(cause.message, 'progress check failed');
          assert.match(cause.stack!, /checkProgress/, 'the original stack names the policy that failed');
          return true;
        },
      ),
    );
  });

  it("should keep going with onError 'collect' and return each failure with its RunError", () => {
    // Runs share the patched prototype: the 5th 'active' check overall is run 2's timestep 2 with T = 3.
    const out = breakProgressAt(5, () => simulate({ seed: 3, timesteps: 3, runs: 3, onError: 'collect' }));
    assert.deepEqual(out.results.map((r) => r.run), [1, 3]);
    assert.equal(out.failures.length, 1);
    const f = out.failures[0];
    assert.deepEqual([f.simulation, f.subset, f.run], [0, 0, 2]);
    assert.ok(f.error instanceof RunError);
    assert.match(f.error.message, /^simulate: run failed \(simulation 0, subset 0, run 2, timestep 2, substep 2, block 2 /);
  });

  it('should stop with a CancelledError when its signal is already aborted', () => {
    assert.throws(() => simulate({ seed: 1, signal: AbortSignal.abort() }), CancelledError);
  });

  it('should throw if an option is out of range or of the wrong type, naming the option and what is allowed', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ keep: 'bogus' }, /^ConfigError: simulate: keep must be one of 'all', 'last', 'metrics', 'checkpoints', got "bogus"$/],
      [{ timesteps: 0 }, /^ConfigError: simulate: timesteps \(T\) must be an integer >= 1, got 0$/],
      [{ timesteps: 2.5 }, /^ConfigError: simulate: timesteps \(T\) must be an integer >= 1, got 2.5$/],
      [{ timesteps: '10' }, /^TypeError: simulate: timesteps \(T\) must be an integer >= 1, got "10"$/],
      [{ runs: -1 }, /^ConfigError: simulate: runs \(N\) must be an integer >= 1, got -1$/],
      [{ runs: NaN }, /^ConfigError: simulate: runs \(N\) must be an integer >= 1, got NaN$/],
      [{ seed: { a: 1 } }, /seed must be an integer within ±\(2\^53 − 1\) or a non-empty string, got \{"a":1\}/],
      [{ onProgress: 'yes' }, /^TypeError: simulate: onProgress must be a function, got "yes"$/],
      [{ onError: 'ignore' }, /^ConfigError: simulate: onError must be 'throw' or 'collect', got "ignore"$/],
      [{ params: 5 }, /^TypeError: simulate: params must be an object, got 5$/],
      [{ sweep: [1] }, /^TypeError: simulate: sweep must be an object, got \[1\]$/],
      [{ genesis: {} }, /^TypeError: simulate: genesis must be a state \{ network: Network, funds: number \}/],
      [{ timestep: 10 }, /^ConfigError: simulate: unknown option 'timestep'; known options: seed, keep, .*timesteps/],
      ['fast', /^TypeError: simulate: options must be an object, got "fast"$/],
    ];
    for (const [options, message] of cases) assert.throws(() => simulate(options as never), message, JSON.stringify(options));
  });

  it('should refuse a bad parameter before any run, naming it', () => {
    assert.throws(() => simulate({ params: { rho: -1 } }), (e: unknown) => e instanceof ConfigError && /params: rho must be/.test(e.message));
  });
});

describe('#.networkAt', () => {
  const two = simulate({ seed: 5, timesteps: 4, runs: 2 });
  const records = two.results[0].records;

  it('should give the network of one run at a timestep (its last substep) or at a given substep', () => {
    assert.deepEqual(networkAt(records, 3).export(), records[12].network.toGraph().export());
    assert.deepEqual(networkAt(records, 3, 1).export(), records[9].network.toGraph().export());
    assert.deepEqual(networkAt(records, 0).export(), records[0].network.toGraph().export());
  });

  it('should refuse the records of several runs and ask for one', () => {
    const both = [...two.results[0].records, ...two.results[1].records];
    assert.throws(
      () => networkAt(both, 2),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          "networkAt: the records come from several runs ((simulation 0, subset 0, run 1) and (simulation 0, subset 0, run 2)); pass one run's records, e.g. results[0].records",
    );
  });

  it('should throw if its arguments have the wrong type, naming the argument', () => {
    assert.throws(() => networkAt(two as never, 1), /^TypeError: networkAt: records must be one run's records \(e\.g\. results\[0\]\.records\), got \{results, failures\}$/);
    assert.throws(() => networkAt(null as never, 1), /^TypeError: networkAt: records must be one run's records/);
    assert.throws(() => networkAt(records, '3' as never), /^TypeError: networkAt: timestep must be an integer >= 0, got "3"$/);
    assert.throws(() => networkAt(records, 1.5), /^ConfigError: networkAt: timestep must be an integer >= 0, got 1.5$/);
    assert.throws(() => networkAt(records, 1, -1), /^ConfigError: networkAt: substep must be an integer >= 0, got -1$/);
    assert.throws(() => networkAt([{ timestep: 1 }] as never, 1), /^TypeError: networkAt: records must be records of the model \(with a network\)/);
  });

  it('should say what the records cover when there is no record there', () => {
    assert.throws(() => networkAt(records, 9), /^RangeError: networkAt: no record at timestep 9 \(the records cover timesteps 0 to 4\)$/);
    const last = simulate({ seed: 5, timesteps: 4, keep: 'last' }).results[0].records;
    assert.throws(() => networkAt(last, 2, 1), /no record at timestep 2, substep 1 .*keep 'last' keeps only each timestep's last substep/);
    const none = simulate({ seed: 5, timesteps: 4, keep: 'metrics' }).results[0].records;
    assert.throws(() => networkAt(none, 2), /^RangeError: networkAt: records is empty \(a run kept with keep: 'metrics' has no records/);
  });
});

describe('#.convictionVotingModel', () => {
  it('should throw if overrides or genesis have the wrong type', () => {
    assert.throws(() => convictionVotingModel(3 as never), /^TypeError: convictionVotingModel: overrides must be an object, got 3$/);
    assert.throws(() => convictionVotingModel({}, { funds: 1 } as never), /^TypeError: convictionVotingModel: genesis must be a state/);
  });
});

describe('#.runConvictionExperiment (errors and arguments)', () => {
  it('should reject with the failing run as a RunError by default, and collect it on request', async () => {
    await breakProgressAt(2, async () => {
      await assert.rejects(
        runConvictionExperiment({ simulations: [{ runs: 2, timesteps: 3 }] }, { seed: 1 }),
        (e: unknown) =>
          e instanceof RunError &&
          /^runConvictionExperiment: run failed \(simulation 0, subset 0, run 1, timestep 2, substep 2, block 2 \(progress of funded work/.test(e.message),
      );
    });
    const out = await breakProgressAt(2, () =>
      runConvictionExperiment({ simulations: [{ runs: 2, timesteps: 3 }] }, { seed: 1, onError: 'collect' }),
    );
    assert.deepEqual(out.failures.map((f) => f.run), [1]);
    assert.deepEqual(out.results.map((r) => r.run), [2]);
  });

  it('should throw if the arguments are malformed, naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /^TypeError: runConvictionExperiment: args must be \{ simulations: \[/],
      [{ simulations: [] }, /^TypeError: runConvictionExperiment: args must be \{ simulations: \[/],
      [{ simulations: [5] }, /^TypeError: runConvictionExperiment: simulations\[0\] must be an object, got 5$/],
      [{ simulations: [{}, { run: 3 }] }, /^ConfigError: runConvictionExperiment: simulations\[1\] has unknown key 'run'; known keys: model, params, sweep, timesteps, runs, rng$/],
      [{ simulations: [{ runs: 0 }] }, /^ConfigError: runConvictionExperiment: simulations\[0\]\.runs must be an integer >= 1, got 0$/],
      [{ simulations: [{ timesteps: 'x' }] }, /^TypeError: runConvictionExperiment: simulations\[0\]\.timesteps must be an integer >= 1, got "x"$/],
      [{ simulations: [{ params: 'x' }] }, /^TypeError: runConvictionExperiment: simulations\[0\]\.params must be an object, got "x"$/],
    ];
    for (const [args, message] of cases) await assert.rejects(runConvictionExperiment(args as never, { seed: 1 }), message, JSON.stringify(args));
    await assert.rejects(
      runConvictionExperiment({ simulations: [{}] }, { seed: 1, workers: 0 }),
      /^ConfigError: runConvictionExperiment: workers must be an integer >= 1 and <= 256, got 0$/,
    );
    await assert.rejects(runConvictionExperiment({ simulations: [{}] }, { seed: 1, keep: 'bogus' } as never), /^ConfigError: runConvictionExperiment: keep must be one of/);
  });
});
