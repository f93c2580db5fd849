/**
 * `ctcr facts --format json`: this host's facts, as the doctor gathers them,
 * plus what a migration's target must have. The source of a move reads them
 * over ssh (`ctcr doctor NAME --target HOST`, `ctcr migrate`); the shape is
 * versioned (src/migrate/facts-types.ts).
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { EXIT, InputError } from '../errors.js';

interface FactsArgs {
  format: 'json';
  lxcpath?: string;
  'images-dir'?: string;
  path?: string[];
  'check-cpuinfo'?: string;
  'probe-timeout': number;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function factsCommand(setExit: (code: number) => void): CommandModule<object, FactsArgs> {
  return {
    command: 'facts',
    describe: "Print this host's facts (what the doctor gathers, and what a migration's target needs) as JSON, for another host's ctcr to read over ssh",
    builder: (y: Argv) =>
      y
        .option('format', { alias: 'f', choices: ['json'] as const, default: 'json' as const, describe: 'Output format (JSON only: the facts are for a program)' })
        .option('lxcpath', { alias: 'P', type: 'string', describe: "The lxcpath whose names and free disk to report (default LXC's)" })
        .option('images-dir', { type: 'string', describe: 'Also report the free disk of this folder (where images will go)' })
        .option('path', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'Also say whether this path exists (repeatable: bind-mount sources, a rootfs)' })
        .option('check-cpuinfo', { type: 'string', describe: "Another host's cpuinfo.img (base64) to check here with criu cpuinfo check" })
        .option('probe-timeout', { type: 'number', default: 10_000, describe: 'Limit for each probe, ms' })
        .example('$0 facts --format json', 'what a source reads of this host')
        .example('ssh target ctcr facts -P /var/lib/lxc --images-dir /var/tmp/ctcr', 'the same, from another host') as Argv<FactsArgs>,
    handler: async (args) => {
      if (!(args['probe-timeout'] > 0)) throw new InputError(`--probe-timeout ${args['probe-timeout']}: give a number of milliseconds above 0`);
      const image = args['check-cpuinfo'];
      if (image !== undefined && !BASE64.test(image)) throw new InputError('--check-cpuinfo: not base64 (give the base64 of a cpuinfo.img)');
      for (const p of args.path ?? []) if (!path.isAbsolute(p)) throw new InputError(`--path ${p}: give an absolute path`);
      const [{ startHostFacts, resolveLxcpath }, { gatherMachine }] = await Promise.all([import('../engine/inspect.js'), import('../gather/machine.js')]);
      const host = startHostFacts(process.env, args['probe-timeout']);
      const lxcpath = args.lxcpath ? path.resolve(args.lxcpath) : await resolveLxcpath(process.env);
      const facts = await gatherMachine({
        env: process.env,
        timeoutMs: args['probe-timeout'],
        host,
        lxcpath,
        imagesDir: args['images-dir'] && path.resolve(args['images-dir']),
        paths: args.path,
        checkCpuinfo: image !== undefined ? Buffer.from(image, 'base64') : undefined,
      });
      process.stdout.write(JSON.stringify(facts, null, 2) + '\n');
      setExit(EXIT.ok);
    },
  };
}
