/**
 * The two-host preflight: the target's facts over ssh, gathered while this
 * host and the container are inspected, and the doctor's verdicts with the
 * target rules added. The target's own findings (about that host alone) are
 * a target of their own in the report, after this host's; the container is
 * NOT READY for the move when any side has an error.
 */
import path from 'node:path';
import type { Rule, Snapshot } from '../types.js';
import type { TargetResult } from '../report/types.js';
import type { RuleLevels } from '../engine/evaluate.js';
import type { Inspection } from '../engine/inspect.js';
import { gatherStatic } from '../gather/static.js';
import { bindEntrySources } from '../gather/doctor-probes.js';
import { gatherSourceNeeds, sourceCpuinfo } from '../gather/move-source.js';
import { resolveAssumptions } from '../engine/assumptions.js';
import { rootfsLocation } from '../config/query.js';
import { known } from '../live/facts.js';
import { fetchTargetFacts, type RemoteHost } from './remote.js';
import type { MoveFacts } from './facts-types.js';
import { isTargetLocation, targetFile } from './target-facts.js';
import { containerFindings, verdicts, hostResult, containerNotes } from '../engine/doctor.js';

/** Where images go on the target when not told: one folder per container, under /var/tmp (kept across reboots, unlike /tmp on many systems). */
export function defaultImagesDir(name: string): string {
  return `/var/tmp/ctcr-migrate/${name}`;
}

export interface MoveRequest {
  name: string;
  lxcpath: string;
  remote: RemoteHost;
  targetLxcpath?: string;
  imagesDir?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/**
 * Starts the remote half: reads the container's config (for the paths the
 * target must have), dumps this CPU's image, then asks the target. Never
 * rejects. `initPid` comes from the local inspection, for the memory estimate.
 */
export async function gatherMove(req: MoveRequest, initPid: Promise<number | null | undefined>): Promise<MoveFacts> {
  const configPath = path.join(req.lxcpath, req.name, 'config');
  const files = await gatherStatic({ label: req.name, configPath, expectRootfs: true }, { rootfsPaths: [], assumptions: resolveAssumptions(undefined, undefined), purpose: 'doctor' }).catch(() => undefined);
  const rootfs = files?.config ? rootfsLocation(files.config).dir : undefined;
  const paths = [...bindEntrySources(files?.mounts ?? []), ...(rootfs ? [rootfs] : [])];
  const imagesDir = req.imagesDir ?? defaultImagesDir(req.name);
  const cpuinfoRun = sourceCpuinfo(req.env, req.timeoutMs);
  const source = initPid.then((pid) => gatherSourceNeeds({ env: req.env, timeoutMs: req.timeoutMs, rootfs, initPid: pid, cpuinfo: cpuinfoRun }));
  source.catch(() => undefined);
  const cpuinfo = await cpuinfoRun;
  const facts = await fetchTargetFacts(req.remote, {
    lxcpath: req.targetLxcpath,
    imagesDir,
    paths,
    cpuinfoImage: known(cpuinfo)?.image,
    probeTimeoutMs: req.timeoutMs,
  }, req.env);
  return {
    target: req.remote.host,
    targetLxcpath: req.targetLxcpath ?? (facts.ok ? facts.value.lxcpath.path : '/var/lib/lxc'),
    imagesDir,
    facts,
    source: await source,
  };
}

/** A note on the target: what it was judged on. */
function targetNotes(move: MoveFacts): string[] {
  if (!move.facts.ok) return ['facts unknown'];
  const f = move.facts.value;
  const kernel = known(f.host.kernel);
  const criu = known(f.host.criu);
  const lxc = known(f.host.lxc);
  return [
    `${f.hostname}: kernel ${kernel ? `${kernel.release} ${kernel.arch}` : 'unknown'}, ${criu ? `CRIU ${criu.version.text}` : 'no CRIU'}, ${lxc ? `LXC ${lxc.version?.text ?? '?'}` : 'no LXC'}, lxcpath ${move.targetLxcpath}, images to ${move.imagesDir}`,
  ];
}

/** The doctor's verdicts for a move: this host (source side), the target host, the container. */
export function judgeMove(inspection: Inspection, move: MoveFacts, rules: readonly Rule[], levels: RuleLevels = {}): TargetResult[] {
  const host = hostResult(inspection.host, rules, levels);
  host.notes = [`source side: ${(host.notes ?? []).join('; ')}`];
  const targetResult: TargetResult = { target: targetFile(move), findings: [], notes: targetNotes(move) };
  const containers = inspection.containers.map((s: Snapshot) => {
    const withMove: Snapshot = { ...s, move };
    const all = containerFindings(rules, withMove, levels);
    targetResult.findings.push(...all.filter((f) => isTargetLocation(f.location)));
    return { target: s.target, findings: all.filter((f) => !isTargetLocation(f.location)), notes: containerNotes(s) };
  });
  const [judgedHost, ...judgedContainers] = verdicts(host, containers);
  const targetErrors = targetResult.findings.filter((f) => f.severity === 'error').length;
  const judgedTarget: TargetResult = { ...targetResult, verdict: targetErrors ? 'NOT READY' : 'READY' };
  return [
    judgedHost!,
    judgedTarget,
    ...judgedContainers.map((r) => (targetErrors
      ? { ...r, verdict: 'NOT READY' as const, notes: [...(r.notes ?? []), `the target is NOT READY (${targetErrors} error${targetErrors === 1 ? '' : 's'} under ${targetFile(move)})`] }
      : r)),
  ];
}
