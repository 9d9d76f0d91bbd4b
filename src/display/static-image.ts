/**
 * Static PNG images of plotly figures, drawn by headless Chromium (playwright-core and the system's Chromium).
 *
 * `PlotlyRenderer` is the async renderer: one browser, one page with plotly.js loaded once, `Plotly.toImage` per
 * figure. scripts/static-images.js uses it over every executed notebook. Inside a kernel, `showFigure` must stay a
 * plain synchronous call, so `staticPngSync` runs a renderer on a worker thread (one page per kernel, reused) and
 * waits for each answer with `Atomics.wait` + `receiveMessageOnPort`. Nothing here throws at a user for a missing
 * browser: no Chromium means no image, and the interactive figure still shows.
 */
import * as fs from 'fs';
import { MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'worker_threads';
import { plotlySource } from './plotly-source';

/** Chromium flags for a quiet, offline, sandbox-less headless browser (as test/browser.test.ts uses). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** The Chromium to use: $CHROMIUM_PATH, else the first system browser found; undefined when there is none. */
export function chromiumPath(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ];
  return candidates.find((p): p is string => Boolean(p) && fs.existsSync(p as string));
}

/** Default image size when the layout sets none (plotly's own toImage default is 700 × 450). */
const DEFAULT_WIDTH = 900;
const DEFAULT_HEIGHT = 500;

/** The pixel size of a figure's static image: its layout's width/height, else 900 × 500. */
export function imageSize(layout: unknown): { width: number; height: number } {
  const l = (layout ?? {}) as { width?: unknown; height?: unknown };
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 10 && v <= 5000;
  return { width: ok(l.width) ? l.width : DEFAULT_WIDTH, height: ok(l.height) ? l.height : DEFAULT_HEIGHT };
}

interface PageLike {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  addScriptTag(options: { content: string }): Promise<unknown>;
  setContent(html: string): Promise<void>;
}
interface BrowserLike {
  newPage(): Promise<PageLike>;
  close(): Promise<void>;
}

/** One headless Chromium page with plotly.js loaded, drawing figures to PNG. */
export class PlotlyRenderer {
  private constructor(
    private readonly browser: BrowserLike,
    private readonly page: PageLike,
  ) {}

  /** Launches Chromium (offline, no network) and loads plotly.js into one page. */
  static async launch(executablePath: string | undefined = chromiumPath()): Promise<PlotlyRenderer> {
    if (!executablePath) {
      throw new Error('PlotlyRenderer: no Chromium found (install chromium, or set CHROMIUM_PATH)');
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core') as { chromium: { launch(o: object): Promise<BrowserLike> } };
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
    try {
      const page = await browser.newPage();
      await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
      await page.addScriptTag({ content: plotlySource() });
      return new PlotlyRenderer(browser, page);
    } catch (e) {
      await browser.close().catch(() => undefined);
      throw e;
    }
  }

  /** The figure `{data, layout, config?}` (plain JSON text) as a PNG, base64 without the data: prefix. */
  async png(figureJson: string): Promise<string> {
    const fig = JSON.parse(figureJson) as { layout?: unknown };
    const size = imageSize(fig.layout);
    const url = await this.page.evaluate(
      async (a: { json: string; width: number; height: number }) => {
        const f = JSON.parse(a.json);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const P = (globalThis as any).Plotly;
        return P.toImage({ data: f.data, layout: f.layout, config: f.config }, {
          format: 'png',
          width: a.width,
          height: a.height,
        }) as Promise<string>;
      },
      { json: figureJson, ...size },
    );
    const prefix = 'data:image/png;base64,';
    if (typeof url !== 'string' || !url.startsWith(prefix)) throw new Error('PlotlyRenderer: toImage gave no PNG');
    return url.slice(prefix.length);
  }

  /** Closes the browser. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}

// ---- the synchronous bridge used by showFigure -------------------------------------------------------------------

interface Request {
  id: number;
  json: string;
}
interface Reply {
  id: number;
  png?: string;
  error?: string;
}

/** Waiting limits: the first figure launches Chromium and parses plotly.js; after that a figure is quick. */
const FIRST_TIMEOUT_MS = 60_000;
const NEXT_TIMEOUT_MS = 15_000;

let enabled: boolean | undefined;
let bridge: { worker: Worker; port: MessagePort; flag: Int32Array; next: number; served: number } | undefined;
let brokenReason: string | undefined;

/** Whether `showFigure` adds static images: `setStaticImages(false)`, or CV_STATIC_IMAGES=0 in the environment. */
export function staticImagesEnabled(): boolean {
  if (enabled !== undefined) return enabled;
  const env = (process.env.CV_STATIC_IMAGES ?? '').trim().toLowerCase();
  return !['0', 'false', 'no', 'off'].includes(env);
}

/** Turns static images in `showFigure` on or off for this process (off also closes the browser). */
export function setStaticImages(on: boolean): void {
  if (typeof on !== 'boolean') throw new TypeError('setStaticImages: expected true or false');
  enabled = on;
  if (!on) closeStaticImages();
  else brokenReason = undefined;
}

/** Why the last static image could not be made (undefined when it worked or was never tried). */
export function staticImageProblem(): string | undefined {
  return brokenReason;
}

/** Stops the worker thread and its Chromium (the next `staticPngSync` starts them again). */
export function closeStaticImages(): void {
  if (!bridge) return;
  const { worker, port } = bridge;
  bridge = undefined;
  port.close();
  void worker.terminate();
}

function startBridge(): NonNullable<typeof bridge> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // Run from TypeScript sources (the tests, through tsx), the thread needs tsx's loader too. A failure to start is
  // answered like a request (id 0), since this thread is blocked in Atomics.wait and sees no 'error' event.
  const load = __filename.endsWith('.ts') ? "require('tsx/cjs');" : '';
  const code =
    `const { workerData } = require('worker_threads');` +
    `try { ${load} require(${JSON.stringify(__filename)}).runStaticImageWorker(); } catch (e) {` +
    `workerData.port.postMessage({ id: 0, error: 'the renderer thread did not start: ' + (e && e.message) });` +
    `Atomics.store(workerData.flag, 0, 1); Atomics.notify(workerData.flag, 0); }`;
  const worker = new Worker(code, {
    eval: true,
    workerData: { flag, port: port2 },
    transferList: [port2],
  });
  // Neither the thread nor its port may keep a script alive that only wanted one figure.
  worker.unref();
  port1.unref();
  worker.on('error', (e) => {
    brokenReason = `static images: the renderer thread failed: ${e.message}`;
    bridge = undefined;
  });
  return { worker, port: port1, flag, next: 1, served: 0 };
}

/**
 * The figure as a PNG (base64), drawn synchronously by this process's Chromium page on a worker thread; undefined
 * when static images are off or no Chromium can draw it (the reason is in `staticImageProblem()`).
 */
export function staticPngSync(figureJson: string): string | undefined {
  if (!staticImagesEnabled()) return undefined;
  if (brokenReason !== undefined) return undefined;
  if (!chromiumPath()) {
    brokenReason = 'static images: no Chromium found (install chromium, or set CHROMIUM_PATH)';
    return undefined;
  }
  bridge ??= startBridge();
  const b = bridge;
  const id = b.next++;
  Atomics.store(b.flag, 0, 0);
  b.port.postMessage({ id, json: figureJson } satisfies Request);
  const deadline = Date.now() + (b.served === 0 ? FIRST_TIMEOUT_MS : NEXT_TIMEOUT_MS);
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(b.flag, 0, 0, left) === 'timed-out') {
      brokenReason = 'static images: Chromium did not answer in time; images are off for this kernel';
      closeStaticImages();
      return undefined;
    }
    // Drain: a reply to an earlier, timed-out request may come first.
    let msg: { message: Reply } | undefined;
    while ((msg = receiveMessageOnPort(b.port) as { message: Reply } | undefined)) {
      if (msg.message.id !== id && msg.message.id !== 0) continue;
      b.served++;
      if (msg.message.error !== undefined) {
        brokenReason = `static images: ${msg.message.error}`;
        // A launch failure is final; one odd figure is not.
        if (b.served === 1 || msg.message.id === 0) closeStaticImages();
        return undefined;
      }
      return msg.message.png;
    }
    Atomics.store(b.flag, 0, 0);
  }
}

/** The worker thread's body: one renderer, answering requests in order. Internal (started by `staticPngSync`). */
export function runStaticImageWorker(): void {
  const { flag, port } = workerData as { flag: Int32Array; port: MessagePort };
  let renderer: Promise<PlotlyRenderer> | undefined;
  let queue: Promise<void> = Promise.resolve();
  const answer = (reply: Reply) => {
    port.postMessage(reply);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.on('message', (req: Request) => {
    queue = queue.then(async () => {
      try {
        renderer ??= PlotlyRenderer.launch();
        answer({ id: req.id, png: await (await renderer).png(req.json) });
      } catch (e) {
        answer({ id: req.id, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
      }
    });
  });
}
