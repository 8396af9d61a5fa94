/**
 * Fake secrets for tests, assembled at run time so that no test file holds a literal secret.
 * They have the documented shape (and, for GitHub, a valid checksum) but were never issued.
 */
export const FAKE = {
  /** GitHub classic PAT shape with a valid CRC32 checksum. */
  githubPat: ['ghp', '0vcoe5fNtBzAPuVcdwzdGgtBuZoRyE3LkoB4'].join('_'),
  /** A second one, for "new secret on an old line" cases. */
  githubPat2: ['ghp', 'IYOfLgZzW1hkaIPVm6SavzmM8SpWzu2dbnm1'].join('_'),
  /** Same shape, wrong checksum: a look-alike. */
  githubLookAlike: ['ghp', '0vcoe5fNtBzAPuVcdwzdGgtBuZoRyE3LkoBx'].join('_'),
} as const;
