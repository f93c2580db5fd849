/**
 * An lxc.include that names nothing: a missing file stops LXC loading the
 * config; a missing directory is skipped without a word.
 */
import { defineRule, at } from '../src/rule.js';

export default defineRule({
  id: 'include-missing',
  severity: 'error',
  summary: 'An lxc.include names a file or directory that is not there.',
  scope: 'static',
  messages: {
    directoryMissing: 'an lxc.include directory is missing (LXC skips it silently)',
    fileMissing: 'an lxc.include file is missing (LXC refuses the config)',
  },
  docs: {
    why:
      'LXC reads an included file as part of the config: when the file is missing the whole load fails, so the container neither starts ' +
      'nor restores. A value ending in / names a directory of *.conf files; when that directory is missing LXC silently includes nothing ' +
      '(ENOENT is not an error there), so the settings meant to come from it quietly do not apply. Either way ctcr could not check those ' +
      'settings. Relative paths are resolved from the folder of the file that includes them.',
    fix:
      'Install or copy the file (distribution configs live in /usr/share/lxc/config/, from the lxc package), correct the path, or remove ' +
      'the lxc.include line if the settings are not needed. When linting a config away from its host, lint it where LXC runs.',
    reference: 'lxc src/lxc/confile.c set_config_includefiles',
  },
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    return config.includes
      .filter((ref) => ref.kind === 'missing')
      .map((ref) =>
        ref.entry.value.endsWith('/')
          ? {
              severity: 'warning' as const,
              messageId: 'directoryMissing',
              message:
                `${ref.entry.key} = ${ref.entry.value}: no such directory (${ref.target}); LXC skips a missing include directory ` +
                `silently, so none of the settings meant to come from it apply (and ctcr did not check them)`,
              location: at(ref.entry),
            }
          : {
              messageId: 'fileMissing',
              message:
                `${ref.entry.key} = ${ref.entry.value}: no such file (${ref.target}); LXC refuses to load the config ` +
                `("Failed to parse config file"), and ctcr did not check the settings it holds`,
              location: at(ref.entry),
            },
      );
  },
});
