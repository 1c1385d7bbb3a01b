/**
 * The command table: every verb the server understands, from one small module per group. A verb
 * not listed is answered 500; one listed but disabled by config fails loudly with its reason.
 */
import { Reply } from '../replies.js';
import type { CommandGroup, FtpCommand } from '../types.js';
import { AUTH_COMMANDS } from './auth.js';
import { DATA_COMMANDS } from './data.js';
import { FILE_COMMANDS } from './files.js';
import { HASH_COMMANDS } from './hash.js';
import { INFO_COMMANDS } from './info.js';
import { LISTING_COMMANDS } from './listing-cmds.js';
import { NAV_COMMANDS } from './nav.js';
import { SITE_COMMANDS } from './site.js';

const GROUPS: CommandGroup[] = [
  AUTH_COMMANDS, INFO_COMMANDS, NAV_COMMANDS, LISTING_COMMANDS, FILE_COMMANDS, DATA_COMMANDS, HASH_COMMANDS, SITE_COMMANDS,
];

const help: FtpCommand = {
  open: true,
  run(s) {
    const verbs = Object.keys(COMMANDS).sort();
    const rows: string[] = [];
    for (let i = 0; i < verbs.length; i += 10) rows.push(` ${verbs.slice(i, i + 10).join(' ')}`);
    s.reply(Reply.Help, ['The following commands are recognized:', ...rows, 'Help OK']);
  },
};

/** Verb → command. */
export const COMMANDS: CommandGroup = Object.freeze(Object.assign({}, ...GROUPS, { HELP: help }) as Record<string, FtpCommand>);
