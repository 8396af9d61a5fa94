import type { ProviderSpec } from '../types.js';

/**
 * The rotation steps every provider's guidance agrees on, in order. Appended to each provider's
 * own revoke-and-regenerate advice.
 */
export const ROTATION_STEPS: readonly string[] = [
  'Create a second credential, with the least privilege the app needs and an expiry if the provider offers one.',
  'Move every app, CI job and environment that used the leaked credential to the new one (an environment variable or a secret manager, never code).',
  'Deactivate the leaked credential.',
  'Check that everything still works with the new credential.',
  'Delete the leaked credential.',
];

export const HISTORY_WARNING =
  'Removing the secret from the code or rewriting git history does not un-leak it: clones, forks, CI logs and caches keep it. Revoke it.';

/** A provider's advice as ordered sections: the single source for text, JSON, SARIF and HTML. */
export interface Advice {
  provider: string;
  revokeUrl: string;
  revoke: string;
  regenerate: string;
  commands: string[];
  reach: string | undefined;
  auditLog: string;
  rotation: readonly string[];
  storage: string;
  history: string;
  docs: string[];
}

export function adviceFor(provider: ProviderSpec): Advice {
  const r = provider.remediation;
  return {
    provider: provider.name,
    revokeUrl: r.revokeUrl,
    revoke: r.revoke,
    regenerate: r.regenerate,
    commands: r.commands ?? [],
    reach: r.reach,
    auditLog: r.auditLog ?? `Check ${provider.name}'s audit or access logs for use of the leaked credential since it was committed.`,
    rotation: ROTATION_STEPS,
    storage: 'Keep the new credential out of code: load it from an environment variable or a secret manager, and keep config files that hold it in .gitignore.',
    history: HISTORY_WARNING,
    docs: r.docs ?? [],
  };
}

/** The advice as plain text lines (no colour), for the text reporter and `explain`. */
export function adviceLines(a: Advice): string[] {
  const lines = [`Revoke: ${a.revoke} (${a.revokeUrl})`, `Regenerate: ${a.regenerate}`];
  if (a.reach) lines.push(`What it can reach: ${a.reach}`);
  for (const c of a.commands) lines.push(`Command: ${c}`);
  lines.push(`Audit: ${a.auditLog}`);
  lines.push('Rotate without downtime:');
  a.rotation.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  lines.push(a.storage, a.history);
  for (const d of a.docs) lines.push(`Docs: ${d}`);
  return lines;
}

/** The advice as Markdown, for SARIF `rule.help.markdown` and the HTML report. */
export function adviceMarkdown(a: Advice): string {
  const out = [
    `**Revoke:** ${a.revoke} <${a.revokeUrl}>`,
    '',
    `**Regenerate:** ${a.regenerate}`,
  ];
  if (a.reach) out.push('', `**What it can reach:** ${a.reach}`);
  if (a.commands.length > 0) out.push('', '**Commands:**', '', ...a.commands.map((c) => `    ${c}`));
  out.push('', `**Audit:** ${a.auditLog}`, '', '**Rotate without downtime:**', '');
  a.rotation.forEach((s, i) => out.push(`${i + 1}. ${s}`));
  out.push('', a.storage, '', `**Note:** ${a.history}`);
  if (a.docs.length > 0) out.push('', ...a.docs.map((d) => `- <${d}>`));
  return out.join('\n');
}
