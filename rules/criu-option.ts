/** A criu option the CRIU in use rejects, ignores or only accepts as a legacy spelling. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-option',
  severity: 'error',
  summary: 'A criu option the CRIU in use rejects, ignores or only accepts as a legacy spelling.',
  scope: 'log',
  docs: {
    why: 'CRIU removed or renamed options over the years (-n NS, --veth-pair, --namespaces); old command lines from wikis fail with "unrecognized option", and some options are valid on one action only ("--mntns-compat-mode is only valid on restore").',
    fix: 'Use the spelling of the installed CRIU (criu --help); ctcr explain --command "criu ..." rewrites an old command line.',
  },
  logSignatures: [
    {
      // getopt prints `criu: unrecognized option '--namespaces'`; other tools' `invalid option` lines (iptables-restore -w) must not match.
      pattern: /(?:^|\/)criu: (?:unrecognized option '([^']+)'|invalid option -- '(.)')|Option (--\S+) is only valid on restore|--ms is deprecated/,
      explain: (m) => {
        const opt = m[1] ?? (m[2] ? `-${m[2]}` : m[3]) ?? '--ms';
        return {
          message: `criu rejected the option ${opt}`,
          fix:
            opt === '-n' || opt.startsWith('--namespace')
              ? 'Drop -n/--namespaces: CRIU 2.2+ detects namespaces itself.'
              : m[3]
                ? `Pass ${m[3]} only on restore (e.g. through CRIU_CONFIG_FILE for the restore alone).`
                : "Check the option against 'criu --help' of this version (ctcr explain can analyze a whole command line).",
        };
      },
      samples: [
        { line: 'criu: invalid option -- \'n\'', source: 'synthesized by ctcr (not a verbatim log): glibc getopt\'s message when the 2014 command (-n net) meets CRIU 2.2+' },
        { line: '(00.039406) Error (criu/config.c:1121): Option --mntns-compat-mode is only valid on restore', source: 'lab: mntns-compat-mode-on-dump-criu4.2.1-linux6.18.log (this project\'s lab)' },
      ],
    },
  ],
});
