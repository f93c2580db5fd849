/**
 * `key = value # text`: LXC has no inline comments, so the text is part of
 * the value.
 */
import { defineRule, at } from '../src/rule.js';
import type { ConfigEntry, Report } from '../src/types.js';
import { canonicalKey } from '../src/config/legacy-keys.js';
import { documentOf, eolOf } from '../src/config/line-edits.js';
import { parseDeviceRule } from '../src/config/device-rules.js';

/**
 * Where `#` has a meaning of its own: hook commands run through /bin/sh (a
 * shell comment), lxc.apparmor.raw is AppArmor policy text (its comment).
 */
const HASH_IS_SYNTAX = (key: string) => (key.startsWith('lxc.hook.') && key !== 'lxc.hook.version') || key === 'lxc.apparmor.raw';

/** Keys LXC parses as numbers (or 0/1): a comment in the value makes the config fail to load. */
const NUMERIC_KEYS = new Set([
  'lxc.tty.max', 'lxc.pty.max', 'lxc.autodev', 'lxc.start.auto', 'lxc.start.delay', 'lxc.start.order', 'lxc.ephemeral',
  'lxc.no_new_privs', 'lxc.apparmor.allow_incomplete', 'lxc.apparmor.allow_nesting', 'lxc.seccomp.allow_nesting',
  'lxc.init.uid', 'lxc.init.gid', 'lxc.monitor.unshare', 'lxc.rootfs.managed', 'lxc.console.rotate', 'lxc.cgroup.relative',
  'lxc.hook.version', 'lxc.keyring.session',
]);

/** Offset in `raw` of a `#` that starts a would-be comment: at the start or after a blank, outside quotes; -1 when none. */
function commentStart(raw: string): number {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || raw[i - 1] === ' ' || raw[i - 1] === '\t')) {
      return i;
    }
  }
  return -1;
}

const DEVICE_KEY = /^lxc\.cgroup(2?)\.devices\.(allow|deny)$/;

/**
 * A device rule is read up to its three access letters by the v1 kernel and by LXC for v2 (device-rules.ts):
 * 'same' when the comment changes nothing, 'rejected' when the rule without it is valid but with it is not
 * (LXC fails to start the container), undefined when neither (not a rule either way).
 */
function deviceRuleEffect(key: string, value: string, meant: string): 'same' | 'rejected' | undefined {
  const m = DEVICE_KEY.exec(key);
  if (!m) return undefined;
  const generation = m[1] ? 'v2' : 'v1';
  const kind = m[2] as 'allow' | 'deny';
  const read = parseDeviceRule(value, generation, kind);
  const intended = parseDeviceRule(meant, generation, kind);
  if (!intended) return undefined;
  if (!read) return 'rejected';
  const same = read.all === intended.all && read.type === intended.type && read.major === intended.major && read.minor === intended.minor && read.access === intended.access;
  return same ? 'same' : undefined;
}

/**
 * lxc.mount.entry lines are read with getmntent(3): after the fourth field
 * only two numbers are scanned and the rest is ignored, so a comment there
 * is harmless; within the first four fields it becomes a field.
 */
function harmlessInMountEntry(raw: string, hash: number): boolean {
  return raw.slice(0, hash).trim().split(/[ \t]+/).filter(Boolean).length >= 4;
}

export default defineRule({
  id: 'inline-comment',
  severity: 'warning',
  summary: "A '# comment' after a value: LXC has no inline comments, so the text becomes part of the value.",
  scope: 'static',
  messages: {
    inlineComment: "a '# comment' after a value becomes part of the value",
  },
  hasSuggestions: true,
  docs: {
    why:
      'LXC treats a line as a comment only when # is its first non-blank character; everything after = is the value (confile.c ' +
      'parse_line). `lxc.tty.max = 0 # no ttys` sets lxc.tty.max to "0 # no ttys", which LXC refuses for a number (the config does not ' +
      'load); for a string the comment silently becomes part of it (a hostname, a path, an environment variable, an init command ' +
      'with extra arguments). `lxc.console.path = none # off` does not disable the console. Not reported: a # inside quotes, a # not ' +
      'preceded by a blank (`a#b`), hook commands (run by /bin/sh, where # starts a shell comment), lxc.apparmor.raw (AppArmor ' +
      'policy, where # is its comment), lxc.mount.entry comments after the fourth field (getmntent ignores them), and comments after ' +
      'the three access letters of a device rule (`c 1:3 rwm # /dev/null`: the kernel and LXC stop reading there); a comment that makes a ' +
      'device rule invalid (`c 5:1 rw # tty`) is an error, since the container then does not start.',
    fix:
      'Move the comment to its own line above the entry (the suggestion does). It is a suggestion, not a fix, because it changes the ' +
      'value LXC reads today (to what was meant). If the # really belongs to the value, suppress the finding with ' +
      '`# ctcr-disable-next-line inline-comment`.',
    reference: 'lxc doc/lxc.container.conf ("The \'#\' character means the line is a comment"); src/lxc/confile.c parse_line',
  },
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    const reports: Report[] = [];
    for (const entry of config.entries) {
      const key = canonicalKey(entry.key);
      if (HASH_IS_SYNTAX(key)) continue;
      const doc = documentOf(config, entry)!;
      const raw = doc.text.slice(entry.valueStart, entry.valueEnd);
      const hash = commentStart(raw);
      if (hash < 0) continue;
      if (key === 'lxc.mount.entry' && harmlessInMountEntry(raw, hash)) continue;
      const meant = raw.slice(0, hash).trimEnd();
      const comment = raw.slice(hash);
      const device = deviceRuleEffect(key, entry.value, meant.replace(/^(["'])(.*)\1$/, '$2'));
      // The kernel and LXC stop reading a device rule after its three access letters: the comment is never read.
      if (device === 'same') continue;
      const refused = NUMERIC_KEYS.has(key) || device === 'rejected';
      const why =
        device === 'rejected'
          ? ` and ${key.startsWith('lxc.cgroup2.') ? 'LXC' : 'the kernel'} rejects it as a device rule (the container does not start)`
          : NUMERIC_KEYS.has(key)
            ? entry.key !== key
              ? ` and LXC 2.1 and later refuse it (LXC 2.0, which reads ${entry.key}, took the number it starts with)`
              : ' and LXC refuses it (the config does not load)'
            : '';
      reports.push({
        messageId: 'inlineComment',
        message: `${entry.key}: LXC has no inline comments, so its value is "${entry.value}", not "${meant}"${why}; move "${comment}" to its own line`,
        location: { ...at(entry), column: entry.valueStart - entry.lineStart + hash + 1 },
        ...(refused ? { severity: 'error' as const } : {}),
        suggestions: [{ description: `move the comment above line ${entry.line} (the value becomes "${meant}")`, edits: moveCommentUp(doc.path, doc.text, entry, hash) }],
      });
    }
    return reports;
  },
});

function moveCommentUp(file: string, text: string, entry: ConfigEntry, hash: number) {
  const indent = text.slice(entry.lineStart, entry.keyStart);
  const commentAt = entry.valueStart + hash;
  // Cut from the end of what was meant (or from just after '=' when nothing was) to the end of the value.
  let cut = commentAt;
  while (cut > entry.lineStart && (text[cut - 1] === ' ' || text[cut - 1] === '\t')) cut--;
  return [
    { file, start: entry.lineStart, end: entry.lineStart, text: `${indent}${text.slice(commentAt, entry.valueEnd)}${eolOf(text)}` },
    { file, start: cut, end: entry.valueEnd, text: '' },
  ];
}
