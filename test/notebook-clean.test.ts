/**
 * Committed notebooks carry no outputs: every notebooks/*.ipynb is nbformat 4 with the tslab kernel, and its code
 * cells have no outputs, execution_count null and no execution metadata. Fix with `node scripts/clean-notebooks.js`.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as nb from '../scripts/notebook-utils.js';

const files = nb.notebookFiles(path.join(__dirname, '..', 'notebooks'));

describe('committed notebooks are clean', () => {
  it('notebooks/ has notebooks', () => {
    assert.ok(files.length > 0);
  });

  for (const file of files) {
    it(`${path.basename(file)} has no outputs or execution counts`, () => {
      let doc;
      try {
        doc = nb.readNotebook(file);
      } catch (e) {
        assert.fail(`${file} is not valid JSON: ${e}`);
      }
      assert.deepEqual(nb.cleanlinessProblems(doc), [], 'strip them with: node scripts/clean-notebooks.js');
    });
  }
});
