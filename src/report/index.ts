import type { Reporter } from './context.js';
import { githubReporter } from './github.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';

export type { ReportContext, Reporter } from './context.js';

/** Reporters by `--format` name. */
export const REPORTERS = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  html: htmlReporter,
} as const satisfies Record<string, Reporter>;

export type ReportFormat = keyof typeof REPORTERS;
