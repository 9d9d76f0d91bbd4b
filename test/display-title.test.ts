import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { figureTitle, writeFigureHtml } from '../src/display/plotly';
import { holdingsHistogram } from '../src/figures';
import { simulate } from '../src/models/v1';

describe('#.figureTitle', () => {
  it("should give a user's title as typed, although the figure builder escaped it for plotly", () => {
    const net = simulate({ seed: 1, timesteps: 1 }).results[0].records[0].network;
    const fig = holdingsHistogram(net, { title: '<img src=x> & "q"' });
    assert.ok(!JSON.stringify(fig.layout).includes('<img'), 'escaped in the figure');
    assert.equal(figureTitle(fig), '<img src=x> & "q"');
  });
});

describe('#.writeFigureHtml', () => {
  it('should escape the page title once: no double-escaped entity, no markup', () => {
    const net = simulate({ seed: 1, timesteps: 1 }).results[0].records[0].network;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cv-title-')), 'f.html');
    writeFigureHtml(holdingsHistogram(net, { title: '<b>x</b> & y' }), file);
    const head = fs.readFileSync(file, 'utf8').match(/<title>(.*)<\/title>/)![1];
    assert.equal(head, '&#60;b&#62;x&#60;/b&#62; &#38; y');
  });
});
