/**
 * danfo frames in tslab notebooks: `showFrame(rdf)` displays the HTML table of
 * `frameHtml` with the aligned text of `frameText` as its plain-text form, so a
 * front-end that cannot show HTML (a terminal, a diff) still reads the frame.
 */
import { frameHtml, frameText, type FrameInput, type FrameOptions } from '../analysis/frames';

/** Shows a danfo DataFrame or Series (or rows of objects) as a table in a tslab notebook; options as `frameHtml`. */
export function showFrame(frame: FrameInput, options: FrameOptions = {}): void {
  // Rendered before touching the kernel, so a bad option is reported as such.
  const html = frameHtml(frame, options);
  const text = frameText(frame, options);
  sendFrame(html, text);
}

/**
 * Sends one frame to the notebook.
 * MERGE(display-bundle): when src/display/bundle.ts exists, replace this body with
 * `displayBundle({ 'text/html': html, 'text/plain': text })` so both forms go in one output.
 */
function sendFrame(html: string, text: string): void {
  void text; // sent with the HTML once displayBundle is available (see above)
  let tslab: typeof import('tslab');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tslab = require('tslab') as typeof import('tslab');
  } catch (e) {
    throw new Error(`showFrame: needs tslab (a Jupyter kernel); outside notebooks use frameText or frameHtml. (${e})`);
  }
  try {
    tslab.display.html(html);
  } catch (e) {
    throw new Error(`showFrame: works only inside a tslab kernel; outside notebooks use frameText or frameHtml. (${e})`);
  }
}
