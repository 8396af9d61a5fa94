import { describe, expect, it } from 'vitest';
import { auditConfigFiles } from '../../src/checks/config-files.js';
import { scan } from '../../src/scan.js';
import { emptyStats } from '../../src/sources/stats.js';
import { git, gitRepo, writeTree } from '../helpers/tmp.js';

process.env['GIT_CONFIG_GLOBAL'] = '/dev/null';
process.env['GIT_CONFIG_NOSYSTEM'] = '1';

const hygiene = (findings: { providerId: string; file: string; ruleId: string }[]): string[] =>
  findings.filter((f) => f.providerId === 'hygiene').map((f) => `${f.file} ${f.ruleId}`);

describe('scan() with the hygiene check', () => {
  it('returns hygiene findings with the others, and the provider for reporters', async () => {
    const repo = gitRepo();
    writeTree(repo, { 'b/id_rsa': 'k', 'a/.env': 'A=b\n' });
    const r = await scan({ path: repo });
    expect(hygiene(r.findings)).toEqual(['a/.env config-file-not-ignored', 'b/id_rsa config-file-not-ignored']);
    expect(r.extraProviders?.map((p) => p.id)).toEqual(['hygiene']);
  });

  it('honours allowPaths and .leakhoundignore', async () => {
    const repo = gitRepo();
    writeTree(repo, { 'fixtures/id_rsa': 'k', 'keys/id_rsa': 'k', '.env': 'A=b\n', '.leakhoundignore': 'fixtures/\n' });
    expect(hygiene((await scan({ path: repo })).findings)).toEqual(['.env config-file-not-ignored', 'keys/id_rsa config-file-not-ignored']);
    expect(hygiene((await scan({ path: repo, allowPaths: ['keys/'] })).findings)).toEqual(['.env config-file-not-ignored']);
  });

  it('is off with hygiene: false, and not run for stdin', async () => {
    const repo = gitRepo();
    writeTree(repo, { id_rsa: 'k' });
    expect((await scan({ path: repo, hygiene: false })).findings).toEqual([]);
    expect((await scan({ path: repo, source: { kind: 'stdin', content: Buffer.from('x'), name: 'id_rsa' } })).findings).toEqual([]);
  });

  it('runs on staged scans', async () => {
    const repo = gitRepo();
    writeTree(repo, { id_rsa: 'k', '.env': 'A=b\n' });
    git(repo, 'add', 'id_rsa');
    const r = await scan({ path: repo, source: { kind: 'staged' } });
    expect(hygiene(r.findings)).toEqual(['id_rsa config-file-not-ignored', 'id_rsa config-file-tracked']);
  });

  it('on staged scans takes the changed paths from the staged diff: the same as asking git (subdirectory, rename, type change)', async () => {
    const repo = gitRepo();
    writeTree(repo, { 'app/old_key.pem': '-----BEGIN X-----\n', 'app/keep.txt': 'x', 'other/id_rsa': 'k' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'init');
    git(repo, 'mv', 'app/old_key.pem', 'app/id_ed25519');
    writeTree(repo, { 'app/.env': 'A=b\n', 'app/credentials.json': '{"password":"p4ss-Word-9"}' });
    git(repo, 'add', '-A');
    const root = `${repo}/app`;
    const viaScan = hygiene((await scan({ path: root, source: { kind: 'staged' } })).findings);
    const asked = await auditConfigFiles({ root, findings: [], stats: emptyStats(), mode: 'staged' });
    expect(viaScan).toEqual(hygiene(asked.findings));
    expect(viaScan).toContain('id_ed25519 config-file-tracked');
    expect(viaScan).toContain('.env config-file-tracked');
    expect(viaScan.some((f) => f.startsWith('other/') || f.includes('id_rsa'))).toBe(false);
  });
});
