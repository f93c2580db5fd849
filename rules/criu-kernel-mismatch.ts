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
  check(snapshot) {
    if (!snapshot.host) return [];
    return [...hostReports(snapshot), ...(snapshot.container ? containerReports(snapshot) : [])];
  },
});
