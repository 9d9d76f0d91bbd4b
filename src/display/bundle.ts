/**
 * Sending a whole MIME bundle (several representations of one output) from a tslab kernel.
 *
 * tslab's public `display` sends one MIME type per message, so a front-end could never choose among an
 * interactive, an HTML and an image representation. Its `raw()` ends in `jupyter.lastWriteDisplayData({data,
 * metadata, transient}, update)`, a module-level hook set by the kernel for the executing cell; we call that hook
 * with the whole bundle. It is internal API, so it is pinned: `TSLAB_VERSION` is the version this was written and
 * tested against (package.json pins tslab exactly) and test/bundle-kernel.test.ts checks it through a real kernel.
 */

/** The tslab version whose internal `lastWriteDisplayData` hook `displayBundle` relies on. */
export const TSLAB_VERSION = '1.0.22';

/** A Jupyter MIME bundle: MIME type → string (base64 for binary types) or JSON value. */
export type MimeBundle = Record<string, unknown>;

interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

type WriteDisplayData = (content: DisplayContent, update: boolean) => void;

/** The kernel's current display hook; throws a clear line when there is no tslab kernel or tslab changed. */
function displayHook(): WriteDisplayData {
  let jupyter: { lastWriteDisplayData?: WriteDisplayData | null };
  let version: string | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jupyter = require('tslab/dist/jupyter');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    version = (require('tslab') as { versions?: { tslab?: string } }).versions?.tslab;
  } catch (e) {
    throw new Error(`displayBundle: needs a tslab kernel (tslab is not installed: ${(e as Error).message})`);
  }
  if (version !== undefined && version !== TSLAB_VERSION) {
    throw new Error(
      `displayBundle: written for tslab ${TSLAB_VERSION} (its internal display hook), found tslab ${version}; ` +
        'install the version pinned in package.json',
    );
  }
  const hook = jupyter.lastWriteDisplayData;
  if (typeof hook !== 'function') {
    throw new Error('displayBundle: works only inside a tslab kernel, while a cell runs (no display hook here)');
  }
  return hook;
}

/** True when a tslab kernel is executing a cell here, i.e. `displayBundle` can send. */
export function canDisplayBundle(): boolean {
  try {
    displayHook();
    return true;
  } catch {
    return false;
  }
}

/**
 * Displays one output made of several MIME representations (e.g. `text/html`, `image/png` as base64,
 * `text/plain`) in the running tslab cell; the front-end shows the richest one it can render.
 */
export function displayBundle(data: MimeBundle, metadata: Record<string, unknown> = {}): void {
  if (data == null || typeof data !== 'object' || Array.isArray(data) || Object.keys(data).length === 0) {
    throw new TypeError('displayBundle: data must be a non-empty object { mimeType: content }');
  }
  for (const [mime, value] of Object.entries(data)) {
    if (!/^[a-z]+\/[\w.+-]+$/i.test(mime)) throw new TypeError(`displayBundle: ${JSON.stringify(mime)} is not a MIME type`);
    if (value === undefined) throw new TypeError(`displayBundle: data[${JSON.stringify(mime)}] is undefined`);
  }
  const hook = displayHook();
  hook({ data, metadata, transient: {} }, false);
}
