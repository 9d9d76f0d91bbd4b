/**
 * The original models' reference runs (test/fixtures/reference-runs, copied
 * from the project's shared reference runs; their README explains the fields),
 * shared by the parity tests of both models.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the reference runs are. */
export const REFERENCE_DIR = path.join(__dirname, '..', 'fixtures', 'reference-runs');

/** One timestep of a reference run: the state at its last substep. v3 runs add the supply and sentiment fields. */
export interface ReferenceRow {
  timestep: number;
  funds: number;
  participants: number;
  proposals: number;
  candidate: number;
  active: number;
  completed: number;
  failed: number;
  killed: number;
  max_share: number | null;
  candidate_funds: number;
  holdings_sum: number;
  total_supply?: number;
  effective_supply?: number;
  sentiment?: number;
}

/** A reference run file, parsed. */
export function loadReference<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as T;
}
