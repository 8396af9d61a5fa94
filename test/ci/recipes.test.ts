import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (p: string): string => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

describe('CI recipes', () => {
  it('the GitHub Actions recipe parses, fetches full history, scans ranges and uploads SARIF even on findings', () => {
    const wf = parse(read('docs/ci/github-actions.yml')) as { permissions: Record<string, string>; jobs: { scan: { steps: Step[] } } };
    expect(wf.permissions['security-events']).toBe('write');
    const steps = wf.jobs.scan.steps;
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const scan = steps.find((s) => s.run?.includes('leakhound scan'));
    expect(scan?.run).toContain('--range');
    expect(scan?.run).toContain('--format sarif --output leakhound.sarif');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.['sarif_file']).toBe('leakhound.sarif');
    expect(upload?.if).toBe('always()');
    expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(scan!));
  });

  it('the GitLab recipe parses and uses full history', () => {
    const ci = parse(read('docs/ci/gitlab-ci.yml')) as { leakhound: { variables: Record<string, string>; script: string[] } };
    expect(ci.leakhound.variables['GIT_DEPTH']).toBe('0');
    expect(ci.leakhound.script.join('\n')).toContain('--range');
  });

  it('action.yml is a composite action whose scan step passes the inputs through', () => {
    const action = parse(read('action.yml')) as { runs: { using: string; steps: Step[] }; inputs: Record<string, unknown> };
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['args', 'format', 'mode', 'output', 'path', 'range']);
    expect(action.runs.steps.at(-1)?.run).toContain('--format "$LH_FORMAT"');
  });

  it('docs/ci.md embeds the recipe files verbatim', () => {
    const doc = read('docs/ci.md');
    for (const f of ['docs/ci/github-actions.yml', 'docs/ci/gitlab-ci.yml', 'docs/ci/generic.sh']) expect(doc).toContain(read(f));
  });
});
