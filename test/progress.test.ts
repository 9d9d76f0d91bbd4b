import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, progressBar, progressLine } from '../src/cli/progress';
import { notebookProgress } from '../src/display/progress';

describe('#.progressLine', () => {
  it('should show done/total, percent, rate and ETA', () => {
    // 25 of 100 in 5 s: 5 runs/s, 75 left -> 15 s.
    assert.equal(progressLine(25, 100, 5, 'runs', 8), '[##......] 25/100 runs 25% | 5.0 runs/s | ETA 15.0s');
    assert.equal(progressLine(100, 100, 20, 'runs', 4), '[####] 100/100 runs 100% | 5.0 runs/s | ETA 0.0s');
    assert.match(progressLine(0, 10, 0), /ETA \?$/);
  });
  it('should format long durations in minutes', () => {
    assert.equal(formatDuration(125), '2m05s');
    assert.equal(formatDuration(Infinity), '?');
  });
});

describe('#.progressBar', () => {
  it('should redraw in place on a terminal and throttle, always drawing the last update', () => {
    let out = '';
    let clock = 0;
    const bar = progressBar({ write: (s: string) => (out += s), isTTY: true }, 'runs', () => clock);
    bar.update(1, 3);
    clock = 50;
    bar.update(2, 3); // within 100 ms: skipped
    clock = 60;
    bar.update(3, 3); // last one: drawn
    bar.done();
    const frames = out.split('\r').filter(Boolean);
    assert.equal(frames.length, 2);
    assert.match(frames[1], /3\/3 runs 100%/);
    assert.ok(out.endsWith('\n'));
  });
});

describe('#.notebookProgress', () => {
  it('should update one display in place', () => {
    const shown: string[] = [];
    let clock = 0;
    const p = notebookProgress('runs', { display: { text: (s) => shown.push(s) }, now: () => clock, everyMs: 100 });
    p.update(1, 4);
    clock = 10;
    p.update(2, 4);
    clock = 500;
    p.update(3, 4);
    p.update(4, 4);
    assert.equal(shown.length, 3);
    assert.match(shown[2], /4\/4 runs 100%/);
  });
});
