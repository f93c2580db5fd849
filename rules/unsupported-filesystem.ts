/**
 * Mounts the config asks for whose filesystem CRIU cannot dump, judged with
 * CRIU's own fstype table for the CRIU version in use.
 */
import { defineRule } from '../src/rule.js';
import type { Fix, MountSpec, Report, Snapshot, VersionNumber } from '../src/types.js';
import { CRIU_FSTYPES, LXC_ENABLED_FS, NEWEST_KNOWN_CRIU, fsSupport, fsWorkarounds, mountCookie, usualFstypeAt } from '../src/criu/filesystems.js';
import { formatVersion } from '../src/criu/version.js';
import { commentOutEntry, commentOutLine, documentOf, lineSpan } from '../src/config/line-edits.js';
import { bindSourceFilesystem, declaredMountpoint, liveMountEmpty, liveNonEmptyMounts, liveUnsupportedMounts } from '../src/live/mounts.js';
import { criuVersionOf, isBindMount } from '../src/live/facts.js';
import { loggedMounts, mountpointOf } from '../src/criu/log-helpers.js';

/** Comment the mount line out, with a note saying why (a token of lxc.mount.auto cannot be commented out alone). */
function commentOut(snapshot: Snapshot, mount: MountSpec, note: string): Fix[] {
  if (mount.origin === 'auto') return [];
  if (mount.origin === 'entry') {
    const doc = snapshot.config && documentOf(snapshot.config, mount.entry);
    return doc ? [{ description: `comment out line ${mount.location.line} (the mount is not made)`, edits: [commentOutEntry(doc, mount.entry, note)] }] : [];
  }
  const fstab = snapshot.fstabs.find((f) => f.path === mount.location.file);
  const span = fstab?.text !== undefined ? lineSpan(fstab.text, mount.location.line) : undefined;
  if (!fstab?.text || !span) return [];
  return [{ description: `comment out line ${mount.location.line} of the fstab (the mount is not made)`, edits: [commentOutLine(fstab.path, fstab.text, span, note)] }];
}

const where = (m: MountSpec) =>
  m.origin === 'auto' ? `lxc.mount.auto token ${m.fsname}` : m.origin === 'entry' ? `lxc.mount.entry '${m.entry.value}'` : `fstab line '${m.fsname} ${m.target} ${m.fstype}'`;

export default defineRule({
  id: 'unsupported-filesystem',
  severity: 'error',
  summary: 'A mount in the fstab, lxc.mount.entry or lxc.mount.auto has a filesystem CRIU cannot dump.',
  scope: 'static',
  messages: {
    fstabBind: 'a bind mount from lxc.mount.fstab, which lxc-checkpoint does not mark external',
    mustBeEmpty: 'a mount CRIU dumps only when empty',
    cannotDump: 'a mount of a filesystem this CRIU cannot dump',
    undeclaredMount: 'a mount of the running container, not in its config, that CRIU cannot dump',
    notEmpty: 'an mqueue or pstore mount that is not empty',
  },
  hasSuggestions: true,
  docs: {
    why:
      "CRIU dumps a mount namespace mount by mount and looks each fstype up in its table (criu/filesystems.c) with an exact string compare: " +
      "'fuse.lxcfs' is not 'fuse'. A mount at the root of a filesystem CRIU does not know (ext4, xfs, btrfs, nfs, 9p, bpf, configfs, " +
      "efivarfs, fuse.* ...) fails the dump with \"FS mnt ... unsupported\"; plain 'fuse' always fails (\"always fail\"); pstore and mqueue " +
      "must be empty (\"isn't empty\"); tmpfs content is dumped with tar, which must be on the host (criu-helper-missing checks that live; " +
      "this rule does not report tmpfs). lxc-checkpoint always " +
      "passes --enable-fs hugetlbfs --enable-fs tracefs, so those pass. Bind mounts of host paths are not dumped as filesystems: " +
      "lxc-checkpoint marks every bind lxc.mount.entry external (--ext-mount-map /target:target), so those are fine with it (a raw criu " +
      "dump needs --external mnt[...] or --ext-mount-map auto for them); it does not do so for bind lines of lxc.mount.fstab, which then " +
      "rely on CRIU's auto-detection and fail with \"doesn't have a proper root mount\" when the source is not visible to CRIU. " +
      "Such a bind is judged by the filesystem of its source, not by its fstype field (none): a bind of a filesystem's root (the host's " +
      "/sys/kernel/config, /sys/fs/bpf, /sys/firmware/efi/efivars, /sys/fs/pstore ...) looks to CRIU like a mount of that filesystem, so it fails " +
      "as one (\"FS mnt ... unsupported\", \"pstore isn't empty\") when auto-detection misses it (in the lab CRIU auto-detected an fstab " +
      "bind of a bpf root and the dump passed), and a bind of a type CRIU re-mounts (debugfs, " +
      "securityfs, tracefs, fusectl, tmpfs) does not fail. Lint knows the filesystem of well-known host mount points; the doctor reads the host's mount table.",
    fix:
      'Do not mount it in the container (the suggestion comments the line out with a note), or tell CRIU how to handle it: ' +
      '--external mnt[/mountpoint]:cookie on dump and mnt[cookie]:/host/path on restore (the target must provide it), --skip-mnt /mountpoint ' +
      '(not restored), or --enable-fs FSTYPE for a type not in CRIU\'s table (re-mounted from its source and options; unsafe for stateful ' +
      'filesystems). For pstore and mqueue, make sure they are empty at dump time. Move fstab bind mounts to lxc.mount.entry lines.',
    reference: 'criu/filesystems.c fstypes[], criu/mount.c validate_mounts; lxc src/lxc/criu.c exec_criu; https://criu.org/LXC',
  },
  logSignatures: [
    {
      pattern: /FS mnt (\S+) dev (0x[0-9a-f]+) root (\S+) unsupported(?: id (\d+))?/,
      explain(m, { log }) {
        const mountpoint = mountpointOf(m[1]!);
        const mntId = m[4] ? Number(m[4]) : undefined;
        const mount = loggedMounts(log).find((x) => (mntId !== undefined ? x.mntId === mntId : x.mountpoint === mountpoint));
        const fstype = mount?.fstype;
        const guess = fstype ? undefined : usualFstypeAt(mountpoint);
        const what = fstype ? `a ${fstype} mount` : `a mount of a type CRIU does not support${guess ? ` (usually ${guess} there)` : ''}`;
        const version = log.criuVersion ?? NEWEST_KNOWN_CRIU;
        const ways = fsWorkarounds(fstype ?? guess ?? 'unknown', mountpoint, version);
        const enable = ways.find((w) => w.kind === 'enable-fs');
        const external = ways.find((w) => w.kind === 'external')!;
        const known = fstype ? CRIU_FSTYPES.find((e) => e.fstype === fstype) : undefined;
        const support = known ? fsSupport(known.fstype, version) : undefined;
        return {
          message: `${mountpoint} is ${what}${support ? ` (${support.note})` : ''}; CRIU cannot dump it`,
          fix:
            `Do not mount it in the container, or pass ${external.dump.join(' ')} on dump and ${external.restore.join(' ')} on restore` +
            (enable ? `, or let CRIU re-mount it by options with ${enable.dump.join(' ')}${fstype ? '' : ` (if it is ${guess})`}` : '') +
            `, or skip it with --skip-mnt ${mountpoint}.`,
          // Suggest --enable-fs only for a type the log names; a guess gets the safe external form.
          criuOptions: enable && fstype ? enable.dump : external.dump,
        };
      },
      samples: [
        { line: '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017', source: 'https://github.com/podman-container-tools/podman/issues/12574 (grep -i error of dump.log, as pasted)' },
        { line: '(00.001790) Error (criu/mount.c:724): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017', source: 'synthesized by ctcr (not a verbatim log): line formats from CRIU\'s log.c/mount.c as seen in issue logs; the sequence from the team\'s lab notes (LXC 5.0.2 busybox container on kernel 6.18); a config...' },
      ],
    },
    {
      pattern: /(?<!\S)(\S+) isn't empty/,
      explain(m) {
        const fstype = m[1]!;
        return {
          message: `the container's ${fstype} is not empty; CRIU dumps ${fstype} only when empty${fstype === 'mqueue' ? ' (a process holds POSIX message queues)' : ''}`,
          fix: fstype === 'mqueue' ? 'Stop the process using POSIX message queues (or remove them from /dev/mqueue) before the dump, or do not mount mqueue in the container.' : `Empty ${fstype} before the dump, or do not mount it in the container.`,
        };
      },
      samples: [
        { line: '(00.004512) Error (criu/filesystems.c:650): mqueue isn\'t empty', source: 'synthesized by ctcr (not a verbatim log): message format from criu/filesystems.c dump_empty_fs' },
      ],
    },
    {
      pattern: /failed to dump fs (\S+) \(([^)]+)\): always fail/,
      explain(m) {
        const mountpoint = mountpointOf(m[1]!);
        return {
          message: `${mountpoint} is a ${m[2]} mount, which CRIU never dumps`,
          fix: `Unmount it before the dump, or mark it external: --external mnt[${mountpoint}]:${mountCookie(mountpoint)} on dump and --external mnt[${mountCookie(mountpoint)}]:HOST_PATH on restore.`,
          criuOptions: ['--external', `mnt[${mountpoint}]:${mountCookie(mountpoint)}`],
        };
      },
      samples: [
        { line: 'failed to dump fs ./mnt/f (fuse): always fail', source: 'criu v4.2 criu/filesystems.c:663 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
  check(snapshot) {
    const version = criuVersionOf(snapshot);
    const reports: Report[] = [];
    for (const mount of snapshot.mounts) {
      const mountpoint = declaredMountpoint(snapshot, mount.target);
      if (isBindMount(mount)) {
        // lxc-checkpoint maps bind lxc.mount.entry lines itself (external: CRIU never looks at their filesystem); fstab lines it does not.
        if (mount.origin !== 'fstab') continue;
        const cookie = mountCookie(mountpoint);
        // A bind of a filesystem's root shows in mountinfo as that filesystem (root `/`), so CRIU judges it by its type, not as a bind.
        const source = bindSourceFilesystem(snapshot, mount.fsname);
        if (source?.isRoot) {
          const support = fsSupport(source.fstype, version, { enableFs: LXC_ENABLED_FS });
          // CRIU mounts a fresh one of these when it does not find the host's: nothing fails.
          if (support.support === 'supported' || support.support === 'content-dumped') continue;
          const failure =
            support.support === 'must-be-empty'
              ? `"${source.fstype} isn't empty" when the host's ${source.fstype} holds anything`
              : support.support === 'always-fails'
                ? `"failed to dump fs ${mountpoint} (${source.fstype}): always fail"`
                : `"FS mnt .${mountpoint} dev ... unsupported" (CRIU ${formatVersion(version)} cannot dump ${source.fstype}: ${support.note})`;
          reports.push({
            severity: 'warning',
            messageId: 'fstabBind',
            message:
              `${where(mount)}: a bind mount of ${mount.fsname}, the root of the host's ${source.fstype} filesystem (${source.from}), from lxc.mount.fstab, ` +
              `which lxc-checkpoint does not mark external. CRIU finds it among its own mounts when ${mount.fsname} is mounted there ` +
              `("autodetected external mount"); when it is not (mounted in another mount namespace, or unmounted since), CRIU dumps it as a ` +
              `${source.fstype} mount and fails with ${failure}, and a restore needs ${source.fstype} at ${mount.fsname} on the target host. ` +
              `Move it to an lxc.mount.entry line, or pass --external mnt[${mountpoint}]:${cookie} on dump and --external mnt[${cookie}]:${mount.fsname} on restore`,
            location: mount.location,
            criuOptions: ['--external', `mnt[${mountpoint}]:${cookie}`],
            suggestions: commentOut(snapshot, mount, `lxc-checkpoint does not mark fstab bind mounts external (unsupported-filesystem)`),
          });
          continue;
        }
        reports.push({
          severity: 'warning',
          messageId: 'fstabBind',
          message:
            `${where(mount)}: a bind mount of host path ${mount.fsname} from lxc.mount.fstab, which lxc-checkpoint does not mark external ` +
            `(it maps only lxc.mount.entry binds); the dump then relies on CRIU finding ${mount.fsname} itself and fails with "doesn't have a ` +
            `proper root mount" when it cannot. Move it to an lxc.mount.entry line, or pass --external mnt[${mountpoint}]:${cookie} on dump and ` +
            `--external mnt[${cookie}]:${mount.fsname} on restore`,
          location: mount.location,
          criuOptions: ['--external', `mnt[${mountpoint}]:${cookie}`],
          suggestions: commentOut(snapshot, mount, `lxc-checkpoint does not mark fstab bind mounts external (unsupported-filesystem)`),
        });
        continue;
      }
      // `none`/`auto` without bind is not a filesystem to judge (LXC itself would fail to mount it).
      if (mount.fstype === '' || mount.fstype === 'none' || mount.fstype === 'auto') continue;
      const support = fsSupport(mount.fstype, version, { enableFs: LXC_ENABLED_FS });
      if (support.support === 'supported' || support.support === 'content-dumped') continue;
      if (support.support === 'must-be-empty') {
        // Settled live when the doctor could look: empty is fine; not empty is liveNonEmptyMounts's error.
        if (liveMountEmpty(snapshot, mountpoint) !== undefined) continue;
        reports.push({
          severity: 'warning',
          messageId: 'mustBeEmpty',
          message:
            `${where(mount)}: CRIU dumps ${mount.fstype} at ${mountpoint} only when it is empty ("${mount.fstype} isn't empty" otherwise); ` +
            `make sure nothing is left in it at dump time, or do not mount it`,
          location: mount.location,
          criuOptions: ['--skip-mnt', mountpoint],
          suggestions: commentOut(snapshot, mount, `CRIU can dump ${mount.fstype} mounts only when empty (unsupported-filesystem)`),
        });
        continue;
      }
      const workarounds = fsWorkarounds(mount.fstype, mountpoint, version);
      const enableFs = workarounds.find((w) => w.kind === 'enable-fs');
      const failure =
        support.support === 'always-fails'
          ? `"failed to dump fs ${mountpoint} (${mount.fstype}): always fail"`
          : `"FS mnt ${mountpoint} ... unsupported"`;
      const options = [
        ...(enableFs ? [`--enable-fs ${mount.fstype}`] : []),
        `--skip-mnt ${mountpoint}`,
        `--external mnt[${mountpoint}]:${mountCookie(mountpoint)}`,
      ];
      reports.push({
        messageId: 'cannotDump',
        message:
          `${where(mount)}: CRIU ${formatVersion(version)} cannot dump ${mount.fstype} mounts (${support.note}); the dump fails with ${failure}. ` +
          `Do not mount it, or pass ${options.join(', or ')}`,
        location: mount.location,
        criuOptions: enableFs ? enableFs.dump : ['--skip-mnt', mountpoint],
        suggestions: commentOut(snapshot, mount, `CRIU cannot dump ${mount.fstype} mounts (unsupported-filesystem)`),
      });
    }
    // ctcr doctor: mounts of the running container that its config does not declare (src/live/mounts.ts).
    reports.push(...liveUnsupportedMounts(snapshot));
    // ctcr doctor: mqueue and pstore mounts that are not empty now (the probe read them).
    reports.push(...liveNonEmptyMounts(snapshot));
    return reports;
  },
});
