/**
 * The command line's flags, read strictly: every unknown flag, stray argument,
 * repeated single-valued flag, empty or malformed value is a UsageError with
 * one line naming it. Nothing is silently ignored or silently overridden.
 */
import * as fs from 'node:fs';
import { ConfigError, UsageError } from '../engine/errors';
import { checkNumber } from '../engine/validate';
import type { Seed } from '../engine/rng';
import type { NumberRange } from '../engine/validate';
import * as v1 from '../models/v1/params';
import * as v3 from '../models/v3/params';

/** A model's parameters as the command line needs them: names, defaults, ranges and the whole-set check. */
export interface ParamSpace {
  /** 'v1' or 'v3'. */
  model: 'v1' | 'v3';
  names: ReadonlyArray<string>;
  defaults: Readonly<Record<string, number>>;
  ranges: Readonly<Record<string, NumberRange>>;
  isName(name: string): boolean;
  /** Throws a one-line ConfigError for a bad parameter set. */
  validate(p: Record<string, number>): void;
}

/** The parameters of each model, from the model's own declaration. */
export const PARAM_SPACES: Readonly<Record<'v1' | 'v3', ParamSpace>> = Object.freeze({
  v1: {
    model: 'v1',
    names: v1.PARAM_NAMES,
    defaults: v1.DEFAULT_PARAMS,
    ranges: v1.PARAM_RANGES,
    isName: v1.isParamName,
    validate: (p) => v1.validateParams(p as v1.Params),
  },
  v3: {
    model: 'v3',
    names: v3.PARAM_NAMES,
    defaults: v3.DEFAULT_PARAMS,
    ranges: v3.PARAM_RANGES,
    isName: v3.isParamName,
    validate: (p) => v3.validateParams(p as v3.Params),
  },
});

type Params = Record<string, number>;

/** How a flag takes its value. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
}

/** Parsed flags: a string, a list of strings, or true. */
export type FlagValues = Record<string, string | string[] | true | undefined>;

/**
 * Reads `argv` against `spec`: `--name value`, `--name=value`, and booleans as
 * `--name`. A value may start with one dash (`--seed -1`); one starting with
 * `--` must be attached with `=`.
 */
export function readFlags(argv: ReadonlyArray<string>, spec: Record<string, FlagSpec>, command: string): FlagValues {
  const out: FlagValues = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--') || token === '--') {
      const what = token.startsWith('-') && token.length > 1 ? `unknown option '${token}'` : `unexpected argument '${token}'`;
      throw new UsageError(`${command}: ${what}; try --help`);
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const s = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!s) throw new UsageError(`${command}: unknown option '--${name}'; try --help`);
    let value: string | true;
    if (s.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
      value = true;
    } else if (eq >= 0) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${command}: --${name} needs a value`);
      value = next;
      i++;
    }
    if (s.multiple) {
      ((out[name] as string[] | undefined) ?? (out[name] = [])) as string[];
      (out[name] as string[]).push(value as string);
    } else {
      if (out[name] !== undefined) throw new UsageError(`${command}: --${name} is given twice; give it once`);
      out[name] = value;
    }
  }
  return out;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number as typed (no hex, no blanks, no "Infinity"); throws a UsageError naming the flag. */
export function parseNumber(flag: string, text: string): number {
  if (!DECIMAL.test(text)) throw new UsageError(`${flag}: '${shorten(text)}' is not a decimal number`);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new UsageError(`${flag}: '${shorten(text)}' is beyond the range of a double`);
  return v;
}

/** A flag's value shortened for a one-line message, with control characters shown escaped. */
export function shorten(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A seed as typed on the command line. A decimal number is a number and must
 * be an integer within ±(2^53 − 1), exactly (so 1, 1.0 and 1e0 are one seed;
 * 12345678901234567890 is refused: doubles cannot tell it from its neighbours).
 * Anything else is text, used exactly as typed; `s:` before a seed makes the
 * rest text even when it looks like a number (`s:123`, `s:-1`).
 */
export function parseSeed(text: string): Seed {
  if (text.startsWith('s:')) {
    const rest = text.slice(2);
    if (rest.length === 0) throw new UsageError(`--seed: 's:' must be followed by the text of the seed`);
    return rest;
  }
  if (text.length === 0) throw new UsageError('--seed: the seed is empty; give an integer or a text');
  const m = DECIMAL.exec(text);
  if (!m) return text;
  // Exact decimal arithmetic: digits × 10^exp, so no rounding decides what the seed is.
  const neg = text.startsWith('-');
  const [mant, expText] = text.replace(/^[+-]/, '').split(/[eE]/);
  const [intPart, fracPart = ''] = mant.split('.');
  let digits = (intPart + fracPart).replace(/^0+/, '');
  let exp = Number(expText ?? '0') - fracPart.length;
  const quote = `to use it as text, write --seed s:${text}`;
  if (digits === '') return 0;
  while (exp < 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exp++;
  }
  if (exp < 0) throw new UsageError(`--seed: ${shorten(text)} is not an integer; a numeric seed must be an integer within ±(2^53 − 1) (${quote})`);
  if (digits.length + exp > 16) throw new UsageError(`--seed: ${shorten(text)} is beyond ±(2^53 − 1), where doubles are exact; ${quote}`);
  const v = BigInt(digits) * 10n ** BigInt(exp);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`--seed: ${text} is beyond ±(2^53 − 1), where doubles are exact; ${quote}`);
  return Number(neg ? -v : v);
}

/** Reads `name=value`, naming the flag; the name must be a parameter. */
export function parseAssignment(flag: string, text: string, space: ParamSpace = PARAM_SPACES.v1): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} expects name=value, got '${shorten(text)}'`);
  const name = text.slice(0, eq);
  if (!space.isName(name)) throw new UsageError(`${flag}: unknown parameter '${shorten(name)}' (of model ${space.model}); known: ${space.names.join(', ')}`);
  return [name, text.slice(eq + 1)];
}

/** Largest params file read (1 MB): presets are a few hundred bytes. */
export const PARAMS_FILE_MAX = 1 << 20;

/** Reads at most `max + 1` bytes of `file` (a device like /dev/zero never ends). */
function readCapped(file: string, max: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new UsageError(`--params: cannot read '${shorten(file)}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`--params: '${shorten(file)}' is a folder, not a JSON file`);
    if (st.isFile() && st.size > max) throw new UsageError(`--params: '${shorten(file)}' is ${st.size} bytes, above the limit of ${max} (1 MB)`);
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (;;) {
      let got: number;
      try {
        got = fs.readSync(fd, buf, n, buf.length - n, null);
      } catch (e) {
        throw new UsageError(`--params: cannot read '${shorten(file)}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      if (got === 0) break;
      n += got;
      if (n > max) throw new UsageError(`--params: '${shorten(file)}' is larger than the limit of ${max} bytes (1 MB)`);
    }
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks the shape of a params file's JSON text without recursion: an object
 * whose values are numbers (nothing nested), and no key twice.
 */
function checkFlatObject(text: string, file: string): void {
  let depth = 0;
  let maxDepth = 0;
  const keys = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k])) k++;
      if (depth === 1 && text[k] === ':') {
        let key: string;
        try {
          key = JSON.parse(raw) as string;
        } catch {
          return; // JSON.parse reports it with its position
        }
        if (keys.has(key)) throw new UsageError(`--params: parameter '${shorten(key)}' appears twice in '${shorten(file)}'`);
        keys.add(key);
      }
      i = j;
    } else if (c === '{' || c === '[') {
      maxDepth = Math.max(maxDepth, ++depth);
      if (depth > 1) throw new UsageError(`--params: '${shorten(file)}' nests objects or lists; it must be one flat object of numbers, e.g. {"rho": 0.002}`);
    } else if (c === '}' || c === ']') depth--;
  }
}

/** A params file: one flat JSON object of known parameters with number values (BOM allowed, 1 MB at most). */
export function loadParamsFile(file: string, space: ParamSpace = PARAM_SPACES.v1): Partial<Params> {
  if (file.length === 0) throw new UsageError('--params: the file name is empty');
  let text = readCapped(file, PARAMS_FILE_MAX).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  checkFlatObject(text, file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--params: '${shorten(file)}' is not valid JSON: ${shorten((e as Error).message, 120)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`--params: '${shorten(file)}' must hold a JSON object of parameters`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (!space.isName(key)) throw new UsageError(`--params: unknown parameter '${shorten(key)}' (of model ${space.model}) in '${shorten(file)}'; known: ${space.names.join(', ')}`);
    if (typeof value !== 'number') throw new UsageError(`--params: '${key}' in '${shorten(file)}' must be a number, got ${value === null ? 'null' : typeof value}`);
    checkNumber(key, value, space.ranges[key], '--params');
  }
  return data as Partial<Params>;
}

/** A positive integer flag; a ConfigError names the flag and the range. */
export function parseCount(flag: string, text: string): number {
  const v = parseNumber(flag, text);
  checkNumber(flag, v, { integer: true, min: 1 }, 'simulate');
  return v;
}

export { ConfigError, UsageError };
