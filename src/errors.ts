/**
 * Known errors. The CLI prints their message on one line and exits 2; anything else is a bug and
 * keeps its stack trace.
 */
export class LeakhoundError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A rule file or config file is invalid. `problems` lists every problem found, each prefixed with its file and rule id. */
export class ConfigError extends LeakhoundError {
  readonly problems: string[];
  constructor(message: string, problems: string[] = [], options?: { cause?: unknown }) {
    super(problems.length > 0 ? `${message}\n  ${problems.join('\n  ')}` : message, options);
    this.problems = problems;
  }
}

/** A git command failed, or the path is not a repository. */
export class GitError extends LeakhoundError {}

/** The path to scan cannot be read at all. */
export class SourceError extends LeakhoundError {}

/** Bad command-line usage. */
export class UsageError extends LeakhoundError {}
