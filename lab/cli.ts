#!/usr/bin/env node
/**
 * `npm run lab -- up|down|status [--json] [--containers N]`
 * up:     install what is missing, choose a working CRIU, create the bridge and
 *         N running stock busybox containers (default 1); idempotent.
 * down:   remove everything the lab created (apt packages stay).
 * status: what is there, and why this CRIU.
 */
import chalk from 'chalk';
import { containerRef, createLabContainer, startContainer, containerState } from './container.js';
import { ensureLab, labDown, labStatus, type LabStatus } from './lab.js';
import { labCanRun } from './can-run.js';
import { CONTAINER_PREFIX } from './paths.js';

const USAGE = 'usage: npm run lab -- up|down|status [--json] [--containers N]';

function parseArgs(argv: string[]) {
  const [cmd, ...rest] = argv;
  let json = false;
  let containers = 1;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--json') json = true;
    else if (a === '--containers') containers = Number(rest[++i]);
    else if (a.startsWith('--containers=')) containers = Number(a.split('=')[1]);
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!Number.isInteger(containers) || containers < 0) throw new Error(`--containers wants a whole number\n${USAGE}`);
  return { cmd, json, containers };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function printStatus(st: LabStatus): void {
  const ok = chalk.green('✓');
  const no = chalk.red('✗');
  console.log(`ctcr lab: ${st.up ? chalk.green('UP') : chalk.yellow('DOWN')}  (state ${st.stateFile})`);
  console.log(`  lxcpath     ${st.lxcpath}`);
  const b = st.bridge;
  console.log(`  bridge      ${b.name}: ${b.exists ? `${b.up ? 'up' : 'down'}, no uplink, ports: ${b.ports.join(' ') || '(none)'}` : 'absent'}`);
  console.log('  tools');
  for (const [k, v] of Object.entries(st.tools)) console.log(`    ${k.padEnd(9)} ${v ?? chalk.dim('(not installed)')}`);
  console.log(`    criu on PATH: ${st.criuOnPath ?? '(none)'}`);
  console.log('  apt packages');
  for (const [k, v] of Object.entries(st.packages)) {
    const by = st.aptInstalledByLab.includes(k) ? chalk.dim(' (installed by the lab)') : '';
    console.log(`    ${k.padEnd(15)} ${v ?? chalk.dim('(not installed)')}${by}`);
  }
  if (st.criu) {
    const c = st.criu;
    const where = c.prefix ? ` from suite ${c.suite}, private prefix ${c.prefix}, run by ${c.loader}` : '';
    console.log(`  criu        ${c.version ? `${c.version} at ${c.path}${where}` : chalk.red('none works')}`);
    console.log('    candidates tried, in order (each must pass `criu check` and a trial dump of a process holding a socket):');
    for (const k of c.candidates) {
      console.log(`    ${k.ok ? ok : no} ${k.name} ${k.version ?? ''} [${k.stage}, ${secs(k.ms)}] ${k.detail}`);
    }
  }
  console.log(`  containers  ${st.containers.length ? '' : '(none)'}`);
  for (const c of st.containers) console.log(`    ${c.name}  ${c.state}  pid ${c.pid || '-'}  config ${c.configPath}`);
  if (st.labProcesses.length) console.log(`  lab processes: ${st.labProcesses.length} (LXC monitors and container processes)`);
  if (st.lastUpMs != null) console.log(`  last up took ${secs(st.lastUpMs)}`);
}

async function main(): Promise<number> {
  const t0 = performance.now();
  const { cmd, json, containers } = parseArgs(process.argv.slice(2));
  const log = (m: string) => process.stderr.write(`${chalk.dim('[lab]')} ${m}\n`);
  if (cmd === 'up') {
    const can = labCanRun();
    if (!can.ok) {
      log(`cannot run here: ${can.reason}`);
      return 2;
    }
    await ensureLab({ log });
    for (let i = 1; i <= containers; i++) {
      const c = containerRef(`${CONTAINER_PREFIX}up-${i}`);
      const state = await containerState(c);
      if (state === 'RUNNING') continue;
      if (state === 'UNKNOWN') {
        log(`creating container ${c.name} (lxc-create -t busybox)`);
        await createLabContainer({ name: c.name });
      } else {
        log(`starting container ${c.name}`);
        await startContainer(c);
      }
    }
  } else if (cmd === 'down') {
    const r = await labDown({ log });
    if (json) {
      console.log(JSON.stringify({ ...r, totalMs: performance.now() - t0 }, null, 2));
      return 0;
    }
    for (const x of r.removed) console.log(`removed ${x}`);
    for (const x of r.kept) console.log(`kept    ${x}`);
    console.log(`lab down: ${secs(performance.now() - t0)}`);
    return 0;
  } else if (cmd !== 'status') {
    console.error(USAGE);
    return 2;
  }
  const st = await labStatus();
  const totalMs = performance.now() - t0;
  if (json) console.log(JSON.stringify({ ...st, command: cmd, totalMs }, null, 2));
  else {
    printStatus(st);
    console.log(`lab ${cmd}: ${secs(totalMs)}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(chalk.red(`lab: ${e.message}`));
    process.exit(1);
  },
);
