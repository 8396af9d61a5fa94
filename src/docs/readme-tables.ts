import { SCAN_FLAGS } from '../cli/flags.js';
import type { RuleSet } from '../rules/load.js';

/**
 * Generated parts of the README, each between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
 * `scripts/readme.mjs` writes them; a test fails when the README is stale.
 */
export function readmeSections(ruleSet: RuleSet): Record<string, string> {
  return { flags: flagsTable(), providers: providerTable(ruleSet) };
}

function flagsTable(): string {
  const rows = Object.entries(SCAN_FLAGS).map(([name, spec]) => {
    const flag = spec.type === 'boolean' && 'default' in spec && spec.default === true ? `--no-${name}` : `--${name}`;
    const alias = 'alias' in spec ? `, -${spec.alias}` : '';
    const values = 'choices' in spec ? ` (${spec.choices.join(' \\| ')})` : '';
    const def = 'default' in spec && spec.type !== 'boolean' ? ` Default: \`${String(spec.default)}\`.` : '';
    return `| \`${flag}\`${alias} | ${spec.describe}${values}.${def} |`;
  });
  return ['| flag | meaning |', '| --- | --- |', ...rows].join('\n');
}

function providerTable(ruleSet: RuleSet): string {
  const rows = [...ruleSet.files]
    .sort((a, b) => a.file.provider.name.localeCompare(b.file.provider.name))
    .map(({ file }) => {
      const r = file.provider.remediation;
      const covers = ['revoke', 'regenerate', r.commands?.length ? 'commands' : '', r.reach ? 'blast radius' : '', r.auditLog ? 'audit log' : '']
        .filter(Boolean)
        .join(', ');
      const ids = file.rules.map((x) => `\`${x.id}\``).join(' ');
      return `| ${file.provider.name} | ${file.provider.category} | ${file.rules.length} | ${ids} | ${covers} |`;
    });
  const total = ruleSet.files.reduce((n, f) => n + f.file.rules.length, 0);
  return [
    `${total} rules for ${ruleSet.files.length} providers.`,
    '',
    '| provider | category | rules | rule ids | playbook covers |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Replaces each generated section of `readme` with its fresh content. Throws if a marker is missing. */
export function applySections(readme: string, sections: Record<string, string>): string {
  let out = readme;
  for (const [name, body] of Object.entries(sections)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README has no ${start} … ${end} section`);
    out = `${out.slice(0, i + start.length)}\n${body}\n${out.slice(j)}`;
  }
  return out;
}
