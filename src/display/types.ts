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
  /** The figure div's id; default a deterministic counter id (`cv-plotly-1`, `cv-plotly-2`...). */
  id?: string;
}

/** Options of `showFigure`. */
export interface ShowFigureOptions {
  /** Inline plotly.js again even if this kernel already did (e.g. after re-running the first figure's cell). */
  includePlotly?: boolean;
}

/** Options of `writeFigureHtml`. */
export interface WriteFigureHtmlOptions {
  /** The page title; default the figure's layout title or 'figure'. */
  title?: string;
}
