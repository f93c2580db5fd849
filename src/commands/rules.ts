/** `ctcr rules [ID]`: the rules, or one rule's docs. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';

interface RulesArgs {
  id?: string;
  format?: 'text' | 'json';
  'rules-dir'?: string[];
}

export function rulesCommand(_setExit: (code: number) => void): CommandModule<object, RulesArgs> {
  return {
    command: 'rules [id]',
    describe: 'List the rules, or explain one: why it matters and how to fix it',
    builder: (y: Argv) =>
      y
        .positional('id', { type: 'string', describe: 'A rule id, e.g. tty-nonzero' })
        .option('format', { alias: 'f', choices: ['text', 'json'] as const, describe: 'Output format: text, or json for machines (the same -f/--format as every command)' })
        .option('rules-dir', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'Also load the rule modules in this directory (repeat the flag for more)' })
        .example('$0 rules', 'every rule with its severity and scope')
        .example('$0 rules console-enabled', 'why a console breaks a checkpoint, and the fix')
        .example('$0 rules -f json', 'the list for a script') as Argv<RulesArgs>,
    handler: async (args) => {
      const { loadRules } = await import('../engine/load-rules.js');
      const loaded = await loadRules((args['rules-dir'] ?? []).map((d) => path.resolve(d)));
      const rules = loaded.map((r) => ({ id: r.id, severity: r.severity, scope: r.scope, summary: r.summary, docs: r.docs }));
      if (args.id) {
        const rule = rules.find((r) => r.id === args.id);
        if (!rule) throw new InputError(`no rule '${args.id}' (ctcr rules lists them)`);
        const { rulePagePath, rulePageUrl, ownRepositoryUrl } = await import('../rule-page.js');
        const { VERSION, PACKAGE_ROOT } = await import('../version.js');
        // Only the built-in rules have pages in this repository; a --rules-dir rule documents itself.
        const builtIn = args['rules-dir']?.length ? (await loadRules()).some((r) => r.id === rule.id) : true;
        // Without a repository address, the page the package ships (docs/rules is in its files), by its absolute path.
        const page = builtIn ? rulePageUrl(rule.id, ownRepositoryUrl(), VERSION) ?? fileURLToPath(new URL(rulePagePath(rule.id), PACKAGE_ROOT)) : undefined;
        const full = loaded.find((r) => r.id === rule.id)!;
        const meta = {
          ...(full.messages ? { messages: full.messages } : {}),
          ...(full.fixable ? { fixable: true } : {}),
          ...(full.hasSuggestions ? { hasSuggestions: true } : {}),
          ...(page ? { page } : {}),
        };
        if (args.format === 'json') process.stdout.write(JSON.stringify({ ...rule, ...meta }, null, 2) + '\n');
        else {
          const lines = [`${rule.id} (${rule.severity}, ${rule.scope})`, '', rule.summary, '', 'Why:', indent(rule.docs.why), '', 'Fix:', indent(rule.docs.fix)];
          if ('reference' in rule.docs && rule.docs.reference) lines.push('', `Reference: ${rule.docs.reference}`);
          if (page) lines.push('', `Examples and exceptions: ${page}`);
          process.stdout.write(lines.join('\n') + '\n');
        }
        return;
      }
      if (args.format === 'json') {
        process.stdout.write(JSON.stringify(rules.map(({ docs: _d, ...r }) => r), null, 2) + '\n');
        return;
      }
      const w = Math.max(...rules.map((r) => r.id.length));
      for (const r of rules) process.stdout.write(`${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.scope.padEnd(6)}  ${r.summary}\n`);
    },
  };
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
