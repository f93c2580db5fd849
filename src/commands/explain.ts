/**
 * `ctcr explain LOG`: the root error of a CRIU dump or restore log (any
 * verbosity, with or without timestamps, pasted excerpts too), its cause and
 * fix, as findings in lint's formats. `ctcr explain --command "criu dump -n
 * net ..."`: which options the installed CRIU no longer has, and what
 * replaces them.
 */
import { statSync } from 'node:fs';
import { readRegularFile } from '../config/load.js';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Finding, VersionNumber } from '../types.js';
import type { TargetResult } from '../report/types.js';
import { EXIT, InputError } from '../errors.js';
import { type ReportArgs, withReportOptions, loadSettings, emitReport, STDIN_ARG } from './common.js';

interface ExplainArgs extends ReportArgs {
  log?: string;
  command?: string;
}

/** The most of a log explain reads: -v4 logs of large containers reach tens of MiB; V8's strings end near 512 MiB. */
const LOG_FILE_CAP = 256 * 1024 * 1024;

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function readInput(log: string): Promise<{ text: string; file: string }> {
  if (log === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8'), file: '<stdin>' };
  }
  // Only a regular file (a FIFO would hang, /dev/zero fill memory), up to a size a -v4 log of a large container stays under.
  if (isDirectory(log)) throw new InputError('is a directory (name the log file, e.g. DIR/dump.log)', { file: log });
  return { text: readRegularFile(log, LOG_FILE_CAP, { file: log }, 'a log').toString('utf8'), file: path.resolve(log) };
}

/** The CRIU version to judge a command line against: --criu-version, else the installed criu, else the newest ctcr knows. */
async function criuVersionFor(args: ExplainArgs, settingsVersion: string | undefined): Promise<{ version: VersionNumber; source: string }> {
  const { requireVersion } = await import('../engine/assumptions.js');
  const wanted = args['criu-version'] ?? settingsVersion;
  if (wanted) return { version: requireVersion(wanted, '--criu-version'), source: args['criu-version'] ? '--criu-version' : 'the settings file' };
  const [{ run }, { parseCriuVersionOutput }, { NEWEST_KNOWN_CRIU }] = await Promise.all([import('../gather/exec.js'), import('../criu/version.js'), import('../criu/filesystems.js')]);
  const r = await run('criu', ['--version'], { timeoutMs: 5000 });
  const installed = r.ok ? parseCriuVersionOutput(r.stdout) : null;
  if (installed) return { version: installed, source: 'the installed criu' };
  return { version: requireVersion(NEWEST_KNOWN_CRIU, 'newest known CRIU'), source: `no criu installed: CRIU ${NEWEST_KNOWN_CRIU}, the newest ctcr knows (--criu-version picks another)` };
}

export function explainCommand(setExit: (code: number) => void): CommandModule<object, ExplainArgs> {
  return {
    command: 'explain [log]',
    describe: "Explain a CRIU dump or restore log (its root error, cause and fix), or a criu command line's legacy options",
    builder: (y: Argv) =>
      withReportOptions(
        y
          .positional('log', { type: 'string', describe: 'A CRIU log (dump.log, restore.log) or an excerpt; - reads stdin' })
          .option('command', { type: 'string', describe: 'A criu command line (old documentation, a script) to check against the CRIU in use', group: 'Inputs:' })
          .example('$0 explain /var/tmp/ckpt/dump.log', 'why the dump failed, and the fix')
          .example('pbpaste | $0 explain -', 'an excerpt pasted from an issue')
          .example('$0 explain --command "criu dump -n net -n mnt -t 42 --veth-pair eth0=veth1"', 'which options this CRIU no longer has'),
      ) as Argv<ExplainArgs>,
    handler: async (args) => {
      // yargs reads a lone `-` as an empty string.
      if (args.log === '' || args.log === STDIN_ARG) args.log = '-';
      if (!args.log && args.command === undefined) throw new InputError('name a log (ctcr explain DIR/dump.log, or - for stdin) or give --command "criu ..."');
      const [{ explainCriuLog, notACriuLog }, { signatureTable }, { analyzeLegacyCommand }, { logFindings, commandFindings }, { loadRules }, { formatVersion }] = await Promise.all([
        import('../criu/log.js'),
        import('../criu/signatures.js'),
        import('../criu/legacy-command.js'),
        import('../run/diagnosis.js'),
        import('../engine/load-rules.js'),
        import('../criu/version.js'),
      ]);
      const settings = await loadSettings(args, args.log && args.log !== '-' ? args.log : undefined);
      const rules = await loadRules([...settings.rulesDirs, ...(args['rules-dir'] ?? []).map((d) => path.resolve(d))]);
      const results: TargetResult[] = [];
      if (args.log) {
        const { text, file } = await readInput(args.log);
        if (text.trim() === '') throw new InputError('the log is empty', { file });
        const signatures = signatureTable(rules);
        const notALog = notACriuLog(text, signatures);
        if (notALog) throw new InputError(notALog, { file });
        const e = explainCriuLog(text, signatures);
        const notes: string[] = [];
        const what = [e.criuVersion ? `CRIU ${e.criuVersion.text}` : 'CRIU', e.action ?? 'log'].join(' ');
        if (e.outcome === 'succeeded') notes.push(`${what}: succeeded${e.terminalLine ? ` (line ${e.terminalLine})` : ''}; nothing to explain`);
        else if (e.outcome === 'failed') notes.push(`${what}: failed${e.terminalLine ? ` (line ${e.terminalLine})` : ''}`);
        else notes.push(`${what}: no end marker (an excerpt, or CRIU's default log level)`);
        if (e.root && e.diagnoses.length) notes.push(`root error at line ${e.root.line}: ${e.diagnoses[0]!.excerpt}`);
        if (!e.diagnoses.length && e.outcome !== 'succeeded') notes.push('no error line found: run CRIU with -v4 (lxc-checkpoint -v) and explain that log');
        results.push({ target: file, findings: logFindings(e, file), notes });
      }
      if (args.command !== undefined) {
        if (args.command.trim() === '') throw new InputError('--command is empty');
        const { version, source } = await criuVersionFor(args, settings.criuVersion);
        const analysis = analyzeLegacyCommand(args.command, version);
        const file = '<command>';
        const findings: Finding[] = commandFindings(analysis, args.command, file);
        const notes = [`judged against CRIU ${formatVersion(version)} (${source})`];
        if (findings.length) notes.push(`for CRIU ${formatVersion(version)}: ${analysis.suggestedCommandLine}`);
        if (analysis.ignoredRest) notes.push(`not analysed (after ; | &): ${analysis.ignoredRest}`);
        results.push({ target: file, findings, notes });
      }
      const code = await emitReport(results, rules, args, settings);
      setExit(code === EXIT.ok ? EXIT.ok : EXIT.findings);
    },
  };
}
