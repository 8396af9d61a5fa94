import type { AllowPolicy, Suppressed } from '../detect/detector.js';
import type { ListedFile } from '../sources/worktree.js';
import type { SourceStats } from '../sources/stats.js';
import type { Finding } from '../types.js';

/** Everything a detection worker needs to build the same rules and detector as the main thread. */
export interface WorkerSetup {
  rulesDirs: string[];
  noBuiltinRules: boolean;
  disabledRules: string[];
  today: string;
  allowMarkers: boolean;
  allowPolicy: AllowPolicy;
  timeBudgetMs: number;
  decode: boolean;
  maxFileSize: number;
}

/** Main thread to worker: files to read and scan. `id` is echoed in the answer. */
export interface BatchRequest {
  id: number;
  files: ListedFile[];
}

/** Worker to main thread: what one batch gave (plain data: structured-cloned). */
export interface BatchResult {
  id: number;
  findings: Finding[];
  suppressed: Suppressed[];
  gaveUp: string[];
  stats: SourceStats;
}

/** Worker to main thread when the worker cannot go on (bad rules, say); the scan then fails. */
export interface WorkerFailure {
  error: string;
}
