/** leakhound's programmatic API. Nothing here prints. */
export { scan, type ScanOptions, type ScanResult } from './scan.js';
export { loadRules, BUILTIN_RULES_DIR, type RuleSet } from './rules/load.js';
export { REPORTERS, type ReportFormat, type ReportContext } from './report/index.js';
export { ConfigError, GitError, LeakhoundError, SourceError, UsageError } from './errors.js';
export type * from './types.js';
