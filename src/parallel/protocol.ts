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

/** What a new worker gets as its workerData: the setup of the scan that starts it, and that scan's number. */
export interface WorkerStart {
  setup: WorkerSetup;
  scan: number;
}

/**
 * Main thread to worker: files to read and scan. `id` and `scan` (the number of the scan asking)
 * are echoed in the answer. `setup`, on the first batch a kept worker gets in a later scan (see
 * src/parallel/pool.ts), is that scan's: the worker builds its rules and detector from it first.
 */
export interface BatchRequest {
  id: number;
  scan: number;
  files: ListedFile[];
  setup?: WorkerSetup;
}

/** Worker to main thread: what one batch gave (plain data: structured-cloned). */
export interface BatchResult {
  id: number;
  scan: number;
  findings: Finding[];
  suppressed: Suppressed[];
  gaveUp: string[];
  stats: SourceStats;
}

/** Worker to main thread when the worker cannot go on (bad rules, say); the scan then fails. */
export interface WorkerFailure {
  error: string;
  /** The scan whose setup failed. */
  scan: number;
}
