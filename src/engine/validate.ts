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
  const shape = (): string =>
    Array.isArray(value)
      ? `an array of ${value.length}`
      : typeof value === 'object' && value !== null
        ? `{${Object.keys(value).slice(0, 8).join(', ')}${Object.keys(value).length > 8 ? ', …' : ''}}`
        : String(value);
  let text: string;
  try {
    // Stop early on a large value (a whole experiment result, a network): its shape says more, at no cost.
    let budget = 400;
    text =
      JSON.stringify(value, (_k, v: unknown) => {
        budget -= typeof v === 'string' ? v.length + 2 : 8;
        if (budget < 0) throw new RangeError('large');
        return v;
      }) ?? String(value);
  } catch {
    // Cyclic, BigInt-holding or large: name its keys, which usually tell what was passed instead.
    text = shape();
  }
  if (text.length <= 80) return text;
  // An error message is one line: a huge object must not flood it.
  const s = shape();
  return s.length <= 80 ? s : `${s.slice(0, 77)}...`;
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
