/**
 * danfo frames in tslab notebooks: `showFrame(rdf)` displays the HTML table of
 * `frameHtml` with the aligned text of `frameText` as its plain-text form, so a
 * front-end that cannot show HTML (a terminal, a diff) still reads the frame.
 */
import { frameHtml, frameText, type FrameInput, type FrameOptions } from '../analysis/frames';
import { displayBundle } from './bundle';

/** Shows a danfo DataFrame or Series (or rows of objects) as a table in a tslab notebook; options as `frameHtml`. */
export function showFrame(frame: FrameInput, options: FrameOptions = {}): void {
  // Rendered before touching the kernel, so a bad option is reported as such.
  const html = frameHtml(frame, options);
  const text = frameText(frame, options);
  sendFrame(html, text);
}

/** Sends one frame to the notebook as one output: the HTML table, and the aligned text where HTML cannot show. */
function sendFrame(html: string, text: string): void {
  try {
    displayBundle({ 'text/html': html, 'text/plain': text });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`showFrame: works only inside a tslab kernel; outside notebooks use frameText or frameHtml (${why})`, { cause: e });
  }
}
