/** The benchmark's inputs: generated configs that are realistic and the same on every run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { seededRng } from '../../bench/generate/prng.js';
import { containerTexts, generateFleet, MAX_CONFIG_LINES, MIN_CONFIG_LINES } from '../../bench/generate/configs.js';
import { ensureRootfsTarball } from '../../bench/generate/rootfs-tarball.js';
import { loadLxcConfig } from '../../src/config/load.js';
import { lastEntry } from '../../src/config/query.js';

test('seeded generator: the same seed gives the same numbers, another seed others; ints stay in range', () => {
  const a = seededRng(42);
  const b = seededRng(42);
  const c = seededRng(43);
  const sa = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(sa, Array.from({ length: 20 }, () => b.next()));
  assert.notDeepEqual(sa, Array.from({ length: 20 }, () => c.next()));
  const r = seededRng(7);
  for (let i = 0; i < 1000; i++) {
    const n = r.int(30, 80);
    assert.ok(Number.isInteger(n) && n >= 30 && n <= 80, String(n));
  }
});

test('container texts are deterministic for a seed', () => {
  const one = containerTexts(seededRng(1), '/fleet', 1);
  const again = containerTexts(seededRng(1), '/fleet', 1);
  assert.deepEqual(one, again);
});

test('a generated fleet: both key generations, 30-80 lines, fstab and two includes each, all readable by ctcr', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-bench-test-'));
  try {
    const fleet = await generateFleet(dir, 60, 99);
    assert.equal(fleet.containers.length, 60);
    assert.equal(new Set(fleet.containers.map((c) => c.name)).size, 60, 'names are unique');
    const generations = new Set(fleet.containers.map((c) => c.generation));
    assert.deepEqual([...generations].sort(), ['current', 'legacy']);
    for (const c of fleet.containers) {
      assert.ok(c.configLines >= MIN_CONFIG_LINES && c.configLines <= MAX_CONFIG_LINES, `${c.name}: ${c.configLines} lines`);
      const text = readFileSync(c.config, 'utf8');
      assert.match(text, /^# /m, 'has comments');
      const config = await loadLxcConfig(c.config);
      // both includes resolved to files that exist: the shared common file and the container's own
      assert.equal(config.includes.length, 2, c.name);
      assert.ok(config.includes.every((i) => i.kind === 'file'), c.name);
      assert.ok(config.includes.some((i) => /common\/(legacy-)?common\.conf$/.test(i.target)));
      assert.ok(config.includes.some((i) => i.target === path.join(path.dirname(c.config), 'local.conf')));
      const fstab = lastEntry(config, 'lxc.mount.fstab');
      assert.ok(fstab && existsSync(fstab.value), `${c.name} names an fstab that exists`);
      if (c.generation === 'legacy') {
        assert.match(text, /^lxc\.utsname = /m);
        assert.doesNotMatch(text, /^lxc\.net\.\d/m);
      } else {
        assert.match(text, /^lxc\.uts\.name = /m);
        assert.doesNotMatch(text, /^lxc\.network\./m);
      }
    }
    // the same seed writes the same bytes
    const dir2 = mkdtempSync(path.join(os.tmpdir(), 'ctcr-bench-test-'));
    try {
      const again = await generateFleet(dir2, 60, 99);
      const rel = (p: string, base: string) => readFileSync(p, 'utf8').split(base).join('<DIR>');
      assert.equal(rel(again.containers[17]!.config, dir2), rel(fleet.containers[17]!.config, dir));
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rootfs tarball: built from this machine, at least the size asked, no secrets, then served from the cache', { skip: spawnSync('tar', ['--version']).status !== 0 ? 'no tar here' : false }, () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'ctcr-bench-cache-test-'));
  const before = process.env.CTCR_BENCH_CACHE;
  process.env.CTCR_BENCH_CACHE = cache;
  try {
    const first = ensureRootfsTarball(1);
    assert.equal(first.built, true);
    assert.ok(first.bytes >= 2 ** 20, `${first.bytes} bytes`);
    const list = spawnSync('tar', ['-tzf', first.file], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.split('\n').filter(Boolean);
    assert.equal(list.length, first.members);
    assert.ok(list.includes('etc/'), 'has /etc');
    assert.ok(!list.some((m) => /^etc\/(g?shadow)/.test(m)), 'no shadow files');
    if (lstatSync('/bin').isSymbolicLink()) {
      const verbose = spawnSync('tar', ['-tvzf', first.file, 'bin'], { encoding: 'utf8' }).stdout;
      assert.match(verbose, /^l.* bin -> /m, 'merged-/usr symlink kept as a symlink');
    }
    const second = ensureRootfsTarball(1);
    assert.equal(second.built, false);
    assert.equal(second.file, first.file);
  } finally {
    if (before === undefined) delete process.env.CTCR_BENCH_CACHE;
    else process.env.CTCR_BENCH_CACHE = before;
    rmSync(cache, { recursive: true, force: true });
  }
});
