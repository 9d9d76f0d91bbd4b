/** Range checks that name the field, the value and what is allowed. */
import { ConfigError } from './errors';

/** A numeric range: bounds are inclusive unless marked exclusive. */
export interface NumberRange {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

/** Describes a range in words, e.g. "an integer >= 1" or "a number in (0, 1)". */
export function describeRange(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a finite number';
  const lo = r.min !== undefined ? `${r.minExclusive ? '>' : '>='} ${r.min}` : '';
  const hi = r.max !== undefined ? `${r.maxExclusive ? '<' : '<='} ${r.max}` : '';
  if (lo && hi) return `${kind} ${lo} and ${hi}`;
  return lo || hi ? `${kind} ${lo || hi}` : kind;
}

/** A value as an error message shows it: numbers as they are (NaN, Infinity), the rest as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Cyclic or BigInt-holding: name its keys, which usually tell what was passed instead.
    text = typeof value === 'object' && value !== null ? `{${Object.keys(value).join(', ')}}` : String(value);
  }
  // An error message is one line: a huge object must not flood it.
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Returns an error message when `value` is not in range, else null. */
export function rangeError(field: string, value: unknown, r: NumberRange, prefix: string): string | null {
  const bad = (): string => `${prefix}: ${field} must be ${describeRange(r)}, got ${showValue(value)}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return bad();
  if (r.integer && !Number.isInteger(value)) return bad();
  if (r.min !== undefined && (r.minExclusive ? !(value > r.min) : !(value >= r.min))) return bad();
  if (r.max !== undefined && (r.maxExclusive ? !(value < r.max) : !(value <= r.max))) return bad();
  return null;
}

/** Throws a `ConfigError` (a RangeError) when `value` is not in range. */
export function checkNumber(field: string, value: unknown, r: NumberRange, prefix: string): void {
  const msg = rangeError(field, value, r, prefix);
  if (msg) throw new ConfigError(msg);
}
