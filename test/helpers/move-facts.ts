/**
 * Recorded facts of a migration's target for the target rules' cases
 * (fixtures/migrate/target-facts.json: `ctcr facts` on the lab machine), and
 * the source's needs, for moving the recorded busybox container `bb`.
 * Builders return fresh copies with the given facts replaced.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineFacts, MoveFacts, SourceNeeds } from '../../src/migrate/facts-types.js';
import { REPO } from './cli.js';

const TARGET: MachineFacts = (JSON.parse(readFileSync(path.join(REPO, 'fixtures', 'migrate', 'target-facts.json'), 'utf8')) as { facts: MachineFacts }).facts;
const copy = <T>(x: T): T => structuredClone(x);

/** The recorded target, with whole facts replaced. */
export function targetFacts(overrides: Partial<MachineFacts> = {}): MachineFacts {
  return { ...copy(TARGET), ...overrides };
}

/** What the recorded source brings: a 2 MiB rootfs, 8 MiB of memory, its own CPU image (the one the target's check passed). */
export function sourceNeeds(overrides: Partial<SourceNeeds> = {}): SourceNeeds {
  return {
    rootfsBytes: { ok: true, value: 2 * 1024 * 1024 },
    memoryBytes: { ok: true, value: 8 * 1024 * 1024 },
    cpuinfo: TARGET.cpuinfo.ok ? copy(TARGET.cpuinfo) : { ok: false, reason: 'not recorded' },
    cgroupControllers: copy(TARGET.cgroupControllers),
    rsync: '/usr/bin/rsync',
    ...overrides,
  };
}

/** A move of `bb` to host `host2`, lxcpath /srv/lxc there. */
export function move(facts: MachineFacts | { ok: false; reason: string } = targetFacts(), source: SourceNeeds = sourceNeeds(), targetLxcpath = '/srv/lxc'): MoveFacts {
  const gathered = 'schema' in facts ? { ok: true as const, value: facts } : facts;
  return { target: 'host2', targetLxcpath, imagesDir: '/var/tmp/ctcr-migrate/bb', facts: gathered, source };
}

/** The recorded target with rsync on PATH (the lab machine had none when recorded). */
export function readyTarget(overrides: Partial<MachineFacts> = {}): MachineFacts {
  const t = targetFacts(overrides);
  t.moveTools = { ...t.moveTools, rsync: '/usr/bin/rsync' };
  return t;
}
