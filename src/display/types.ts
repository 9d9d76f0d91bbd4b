/** Types shared by the display helpers. */

/** A plotly figure as plain data: traces, layout, optional animation frames and plot config. */
export interface Figure {
  /** The traces, e.g. `[{ type: 'bar', x: [1, 2], y: [3, 4] }]`. */
  data: object[];
  /** The plotly layout (title, axes, size...). */
  layout: object;
  /** Animation frames, if any. */
  frames?: object[];
  /** Plot config merged over `{ responsive: true }`. */
  config?: object;
}

/** Options of `figureHtml`. */
export interface FigureHtmlOptions {
  /** Inline the whole plotly.js library in a `<script>` before the figure (about 5 MB). Default false. */
  includePlotly?: boolean;
  /** The figure div's id; default a hash of the figure and a counter (`cv-plotly-3f2a9c01de-1`). */
  id?: string;
  /** A static PNG (base64, no data: prefix) shown where scripts do not run; default a short note. */
  png?: string;
}

/** Options of `showFigure`. */
export interface ShowFigureOptions {
  /** Add a static PNG drawn by headless Chromium (default true when static images are on and Chromium exists). */
  staticImage?: boolean;
}

/** Options of `writeFigureHtml`. */
export interface WriteFigureHtmlOptions {
  /** The page title; default the figure's layout title or 'figure'. */
  title?: string;
}
