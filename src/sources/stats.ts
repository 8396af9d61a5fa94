/** What a source read and what it passed over, for the summary line and the exit code. */
export interface SourceStats {
  /** Files (or blobs) whose content was handed to the detector. */
  scanned: number;
  /** Bytes handed to the detector. */
  bytes: number;
  /** Items passed over, by reason (binary, too-large, symlink, special, unreadable). */
  skipped: Record<string, number>;
  /** One line per problem worth telling the user (an unreadable file, …). No secrets. */
  warnings: string[];
  /** Commits walked (history scans only). */
  commits?: number;
}

export function emptyStats(): SourceStats {
  return { scanned: 0, bytes: 0, skipped: {}, warnings: [] };
}

export function countSkip(stats: SourceStats, reason: string): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + 1;
}
