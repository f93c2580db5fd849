/** A network tool CRIU runs (ip, iptables-restore/-save, nft) failed while CRIU saved or restored the container's network. Recognised in CRIU logs only (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { helperOutputBefore, networkToolBefore, type NetworkToolRun } from '../src/criu/log-helpers.js';
import type { CriuLogLine, ParsedCriuLog } from '../src/criu/log-lines.js';

const IP_FIX =
  "Read ip's message above: on restore, addresses or routes the network namespace already has (restoring into an existing one), a route via a device that was not re-created (pass the veth with --external veth[IN]:OUT@BRIDGE, as lxc-checkpoint does), or an iproute2 too old for the saved dump (ctcr doctor NAME: iproute2-too-old, bridge-missing).";
const IPTABLES_FIX =
  "Read iptables' message above: install the iptables the saved rules need (legacy and nft variants; ctcr doctor NAME: iptables-legacy-missing, network-lock-unavailable), load the kernel modules of the rules' matches and targets, or pick another lock with --network-lock nftables|skip.";
const NFT_FIX =
  'Read nft\'s message above: a kernel with nf_tables and the set types CRIU uses, a CRIU built with libnftables (ctcr doctor NAME: network-lock-unavailable), or --network-lock iptables.';

function describe(run: NetworkToolRun, action: string | undefined): { message: string; fix: string } {
  const when = /\b(?:save|-save)\b/.test(run.command) ? 'saving' : /\b(?:restore|-restore)\b/.test(run.command) || action === 'restore' ? 'restoring' : 'setting up';
  const said = run.output.length ? `: ${run.output.slice(0, 3).join(' / ')}` : ' (it printed nothing CRIU kept)';
  return {
    message: `\`${run.command}\` failed while CRIU was ${when} the container's network${said}`,
    fix: run.tool === 'ip' ? IP_FIX : run.tool === 'nft' ? NFT_FIX : IPTABLES_FIX,
  };
}

function toolOrHelper(log: ParsedCriuLog, root: CriuLogLine, fallback: () => { message: string; fix: string; ruleId?: string }) {
  const run = networkToolBefore(log, root);
  return run ? describe(run, log.action) : fallback();
}

export default defineRule({
  id: 'network-helper-failed',
  severity: 'error',
  summary: "A network tool CRIU runs (ip, iptables-restore/-save, nft) failed while CRIU saved or restored the container's network.",
  scope: 'log',
  docs: {
    why:
      "CRIU does not restore addresses, routes and firewall rules itself: it runs `ip addr|route|rule save` and `iptables-save` on dump and `ip ... restore`, `iptables-restore` (or nft) on restore, inside the container's network namespace (criu/net.c), and stops when one exits non-zero (\"IP tool failed on route restore\", \"iptables-restore failed\", util.c's \"exited, status=2\"). The tool's own message, printed just above, says why.",
    fix: 'Read the tool\'s output above the error; install iproute2 and iptables on the restore host as on the dump host, and restore into a fresh network namespace (lxc-checkpoint does).',
    reference: 'criu/net.c run_ip_tool, run_iptables_tool; criu/util.c cr_system',
  },
  logSignatures: [
    {
      // criu/net.c run_ip_tool
      pattern: /IP tool failed on (.+?)\s*$/,
      explain: (m, { log, root }) => toolOrHelper(log, root, () => describe({ command: `ip ${m[1]!.trim()}`, tool: 'ip', output: [] }, log.action)),
      samples: [{ line: '(00.315107)      1: Error (criu/net.c:1969): IP tool failed on route restore', source: 'criu v4.2 criu/net.c:1969 (the message it prints, with this run\'s values); https://github.com/checkpoint-restore/criu/issues/1899 (its title)' }],
    },
    {
      // criu/net.c run_iptables_tool: "%s failed" with the default command's name.
      pattern: /^(ip6?tables-(?:restore|save)) failed$/,
      explain: (m, { log, root }) => toolOrHelper(log, root, () => describe({ command: m[1]!, tool: 'iptables', output: [] }, log.action)),
      samples: [{ line: '(00.421337)      1: Error (criu/net.c:1989): iptables-restore failed', source: 'criu v4.2 criu/net.c:1989 (the message it prints, with this run\'s values)' }],
    },
    {
      // criu/util.c cr_system: any helper's non-zero exit; a network tool when CRIU logged running one just before.
      pattern: /^exited, status=(-?\d+)$/,
      explain: (m, { log, root }) =>
        toolOrHelper(log, root, () => {
          const helper = helperOutputBefore(log, root);
          // Not a network tool: the program is one of CRIU's set-up helpers (tar, a script), which util.c's area covers.
          return {
            ruleId: 'criu-setup',
            message: helper ? `a program CRIU ran failed (${m[0]}): ${helper.message}` : `a program CRIU ran failed (${m[0]})`,
            fix: 'Read the program\'s output above the error (tar for tmpfs contents, an action script); ctcr doctor NAME checks the helpers CRIU needs (criu-helper-missing).',
          };
        }),
      samples: [{ line: '(00.309238)      1: Error (criu/util.c:643): exited, status=2', source: 'criu v4.2 criu/util.c:657 (the message it prints); fixtures/criu-logs/helper-exited-v4.log' }],
    },
  ],
});
