import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCALAR_METRICS_V3, SCALAR_METRIC_NAMES_V3 } from '../src/analysis/metrics-v3';
import { SCALAR_METRIC_NAMES } from '../src/analysis/metrics';
import { simulateV3 } from '../src/models/v3';

describe('#.SCALAR_METRICS_V3', () => {
  it('should hold the v1 columns first, then the v3 scalars and the six stage percentages', () => {
    assert.deepEqual(SCALAR_METRIC_NAMES_V3.slice(0, SCALAR_METRIC_NAMES.length), SCALAR_METRIC_NAMES);
    assert.deepEqual(SCALAR_METRIC_NAMES_V3.slice(SCALAR_METRIC_NAMES.length, SCALAR_METRIC_NAMES.length + 3), ['sentiment', 'total_supply', 'effective_supply']);
  });

  it('should unpack the stage records: at t = 1 of np.random.seed(1), 5 of 8 proposals killed, none active or completed', () => {
    const rec = simulateV3({ seed: 1, rng: 'numpy', timesteps: 1, keep: 'last' }).results[0].records[1];
    assert.equal(SCALAR_METRICS_V3.killed_count(rec), 5);
    assert.equal(SCALAR_METRICS_V3.proposal_count(rec), 8);
    assert.equal(SCALAR_METRICS_V3.percentageOfKilledProposals(rec), 5 / 8);
    assert.equal(SCALAR_METRICS_V3.percentageOfActiveProposals(rec), 0);
    let killedFunds = 0;
    let allFunds = 0;
    for (let j = 0; j < rec.network.proposalCount; j++) {
      allFunds += rec.network.fundsRequested(j);
      if (rec.network.status(j) === 'killed') killedFunds += rec.network.fundsRequested(j);
    }
    assert.equal(SCALAR_METRICS_V3.percentageOfKilledFundsRequested(rec), killedFunds / allFunds);
    assert.equal(SCALAR_METRICS_V3.total_supply(rec), 22392.22 + 0.001 * 22392.22); // S + gamma·S, as PSUB 2 adds it
  });

  it('should give null stage shares at genesis, where the original holds 0', () => {
    const g = simulateV3({ seed: 1, timesteps: 1 }).results[0].records[0];
    assert.equal(SCALAR_METRICS_V3.percentageOfKilledProposals(g), null);
    assert.equal(SCALAR_METRICS_V3.sentiment(g), 0.6);
  });
});
