/**
 * The installed CRIU and this kernel do not get along: `criu check` fails,
 * or a known incompatibility applies that `criu check` does not see (on
 * kernel 6.16+ CRIU before 4.2 says "Looks good." and fails every dump of a
 * process holding an inet or packet socket).
 */
import { defineRule } from '../src/rule.js';
import type { Report, Snapshot, SocketFacts } from '../src/types.js';
import { knownIncompatibilities, type Incompatibility } from '../src/criu/compat.js';
import { parseCriuCheckOutput } from '../src/criu/check.js';
import { formatVersion } from '../src/criu/version.js';
import { HOST_LOCATION, containerLocation, criuOf, describeProcess, hostOf, isRunning, known, processByPid } from '../src/live/facts.js';
import { UPGRADE } from '../src/criu/log-helpers.js';

const upgrade = (e: Incompatibility) => (e.fixedIn ? `CRIU ${e.fixedIn} fixes it` : 'no CRIU release fixes it yet');

function hostReports(snapshot: Snapshot): Report[] {
  const host = hostOf(snapshot)!;
  const criu = criuOf(host);
  const kernel = known(host.kernel);
  if (!criu || !kernel) return [];
  const entries = knownIncompatibilities({ kernel: kernel.version, arch: kernel.arch, criu: criu.version });
  const who = `CRIU ${criu.version.text} (${criu.path}) on kernel ${kernel.release}`;
  const reports: Report[] = [];
  if (!criu.checkOk) {
    const check = parseCriuCheckOutput(criu.checkOutput, criu.checkExitCode);
    const everything = entries.filter((e) => e.appliesToEverything);
    const cause = everything.length
      ? `; known cause: ${everything.map((e) => `${e.title} (${upgrade(e)})`).join('; ')}`
      : '';
    const said = check.diagnosis?.excerpt ?? check.problems[0] ?? criu.checkOutput.split('\n')[0] ?? '';
    reports.push({
      messageId: check.verdict === 'looks-good-but' ? 'checkIncomplete' : 'checkFails',
      message:
        check.verdict === 'looks-good-but'
          ? `\`criu check\` of ${who} says "Looks good but some kernel features are missing": dump or restore may fail, depending on the process tree${said ? ` (${said})` : ''}${cause}`
          : `\`criu check\` of ${who} fails: ${said || `exit code ${criu.checkExitCode ?? 'unknown'}`}${cause}. ` +
            (everything.some((e) => e.fixedIn) ? `Install CRIU ${everything.find((e) => e.fixedIn)!.fixedIn} or newer` : 'Nothing can be checkpointed until it passes'),
      location: HOST_LOCATION,
      ...(check.verdict === 'looks-good-but' ? { severity: 'warning' as const } : {}),
    });
  }
  // Entries that hit only some process trees and are not about sockets (those are judged per container).
  for (const e of entries.filter((x) => !x.appliesToEverything && !x.socketFamilies)) {
    reports.push({
      messageId: 'knownIssue',
      message: `${who}: ${e.title}; ${e.symptom}. ${e.fix}`,
      location: HOST_LOCATION,
      severity: e.confidence === 'certain' ? 'warning' : 'info',
    });
  }
  return reports;
}

function socketWord(s: SocketFacts): string {
  if (s.family === 'packet') return `a packet socket (${s.type ?? 'raw'})`;
  return `${s.family === 'inet6' ? 'an IPv6' : 'an IPv4'} ${s.protocolName ?? s.protocol} socket${s.local ? ` on ${s.local}` : ''}`;
}

function containerReports(snapshot: Snapshot): Report[] {
  const container = snapshot.container!;
  const criu = criuOf(snapshot.host);
  const kernel = known(snapshot.host?.kernel);
  if (!criu || !kernel) return [];
  const bySockets = knownIncompatibilities({ kernel: kernel.version, arch: kernel.arch, criu: criu.version }).filter((e) => e.socketFamilies);
  if (bySockets.length === 0) return [];
  const sockets = isRunning(container) ? known(container.sockets) : undefined;
  const who = `CRIU ${criu.version.text} on kernel ${kernel.release}`;
  const reports: Report[] = [];
  for (const e of bySockets) {
    if (sockets === undefined) {
      reports.push({
        messageId: 'socketsUnknown',
        message:
          `${who}: ${e.title}. Whether this container holds such sockets is not known (${isRunning(container) ? 'its sockets could not be read' : `it is ${container.state}`}); ` +
          `nearly every container does (a DHCP client, any network daemon). ${upgrade(e)}: ${e.fix}`,
        location: containerLocation(container),
      });
      continue;
    }
    const hit = sockets.filter((s) => e.socketFamilies!.includes(s.family));
    if (hit.length === 0) continue;
    const procs = processByPid(container);
    const holders = hit.slice(0, 3).map((s) => {
      const p = procs.get(s.pid);
      return `${p ? describeProcess(p) : `PID ${s.pid}`} holds ${socketWord(s)}`;
    });
    reports.push({
      messageId: 'socketsAffected',
      message:
        `${who}: ${e.title}; ${holders.join(', ')}${hit.length > 3 ? ` and ${hit.length - 3} more` : ''}, so the dump fails ` +
        `("${e.symptom.split(',')[0]}"). ${upgrade(e)}: install CRIU ${e.fixedIn ? `${formatVersion(e.fixedIn)} or newer` : 'from its development branch'}`,
      location: containerLocation(container),
    });
  }
  return reports;
}

export default defineRule({
  id: 'criu-kernel-mismatch',
  severity: 'error',
  summary: '`criu check` fails, or a known incompatibility between this CRIU and this kernel applies to the container.',
  scope: 'live',
  messages: {
    checkFails: '`criu check` fails',
    checkIncomplete: '`criu check` says some kernel features are missing',
    knownIssue: 'a known incompatibility of this CRIU and kernel may hit some process trees',
    socketsUnknown: 'a known socket incompatibility applies, and whether the container holds such sockets is unknown',
    socketsAffected: 'a known socket incompatibility applies to sockets the container holds',
  },
  docs: {
    why:
      'New kernels change what CRIU reads. On x86 kernels from 6.13 the vDSO has a [vvar_vclock] mapping that CRIU before 4.1 cannot parse: ' +
      'every command fails, criu check included ("vdso: Unexpected rt vDSO area bounds"). From kernel 6.16, SO_PASSCRED and SO_PASSSEC exist ' +
      'only on unix, netlink and bluetooth sockets, and CRIU before 4.2 asks for them on every socket: any TCP, UDP, raw or packet socket ' +
      'fails the dump ("sockets: Can\'t get 1:16 opt: Operation not supported") while criu check still says "Looks good.". ' +
      'Other entries (rseq, guard pages) hit only some process trees and are reported as warnings.',
    fix: 'Install the CRIU version the finding names (or newer). On Debian 12 the packaged 3.17.1 is too old for kernels from 6.13.',
    reference: 'https://github.com/checkpoint-restore/criu/issues/2532, https://github.com/checkpoint-restore/criu/issues/2705',
  },
  logSignatures: [
    {
      pattern: /Can't get 1:(16|34)(?:\(\d+\))? opt: Operation not supported/,
      explain: () => ({
        message: 'kernel 6.16+ refuses SO_PASSCRED/SO_PASSSEC on inet, raw and packet sockets, and this CRIU still asks (criu#2705); criu check does not notice',
        fix: 'Use CRIU 4.2 or newer.',
      }),
      samples: [
        { line: 'time="2025-08-13T12:19:09-04:00" level=warning msg="784:(00.025051) Error (criu/sockets.c:640): sockets: Can\'t get 1:16 opt: Operation not supported"', source: 'synthesized by ctcr (not a verbatim log): podman\'s quoting of dump.log as in https://github.com/checkpoint-restore/criu/issues/2705' },
        { line: '(00.005244) Error (criu/sockets.c:640): sockets: Can\'t get 1:16 opt: Operation not supported', source: 'synthesized by ctcr (not a verbatim log): line formats from CRIU\'s log.c/mount.c as seen in issue logs; the sequence from the team\'s lab notes (LXC 5.0.2 busybox container on kernel 6.18); CRIU 4.1...' },
      ],
    },
    {
      pattern: /Unexpected rt vDSO area bounds|VVAR and VVAR_VCLOCK entries are not subsequent/,
      explain: () => ({ message: 'this CRIU cannot read the vDSO layout of x86 kernels 6.13+ ([vvar_vclock]), so every command fails (criu#2532)', fix: 'Use CRIU 4.1 or newer.' }),
      samples: [
        { line: 'Error (criu/vdso.c:380): vdso: Unexpected rt vDSO area bounds', source: 'synthesized by ctcr (not a verbatim log): Debian 12\'s CRIU 3.17.1 on kernel 6.18 per the team\'s lab notes; cascade per criu-facts.md §2' },
      ],
    },
    {
      pattern: /Not all dynamic entries are present/,
      explain: () => ({ message: 'this CRIU cannot read the aarch64 vDSO of kernels 6.11+ (DT_GNU_HASH only)', fix: 'Use CRIU 4.1 or newer.' }),
      samples: [
        { line: 'vdso: Not all dynamic entries are present', source: 'criu v4.2 criu/pie/util-vdso.c:273 (the message it prints, with this run\'s values)' },
      ],
    },
    {
      pattern: /ELF header magic mismatch|Unsupported OSABI version/,
      explain: () => ({ message: "this CRIU rejects the kernel vDSO's ELF header (ARM vDSO with OSABI 3, criu#2751)", fix: 'Use CRIU 4.2 or newer.' }),
      samples: [
        { line: 'vdso: ELF header magic mismatch', source: 'ctcr catalogue (message as CRIU prints it; no source line found)' },
      ],
    },
    {
      pattern: /Compatible vdso's size is bigger than reserved buf/,
      explain: () => ({ message: "this kernel's 32-bit vDSO is bigger than the buffer CRIU before 3.18 reserves (criu#1916)", fix: 'Use CRIU 3.18 or newer.' }),
      samples: [
        { line: 'Error: Compatible vdso\'s size is bigger than reserved buf', source: 'https://github.com/checkpoint-restore/criu/issues/1916 (sudo criu check --all with CRIU 3.17, as pasted)' },
      ],
    },
    {
      pattern: /Got second vDSO entry|Can't find rt vDSO/,
      explain: (m) => ({ message: `CRIU does not understand this kernel's vDSO (${m[0]})`, fix: UPGRADE }),
      samples: [
        { line: 'vdso: Can\'t find rt vDSO', source: 'criu v4.2 criu/vdso.c:406 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
  check(snapshot) {
    if (!snapshot.host) return [];
    return [...hostReports(snapshot), ...(snapshot.container ? containerReports(snapshot) : [])];
  },
});
