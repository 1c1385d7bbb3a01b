/**
 * `sftpgo user add|list|get|update|delete` (CLI.md): manage users on the configured provider
 * without a running server (writers are refused while a server holds the database). Tables and
 * text for people, `--json` for scripts. Exit 0 ok, 1 failure (validation problems are named by
 * field), 2 usage.
 */
import { Option, type Command } from 'commander';
import { addUser, deleteUser, getUser, listUsers, updateUser, type UserFields } from '../../app/user-tools.js';
import type { User } from '../../dataprovider/models.js';
import { parseNonNegative } from '../options.js';
import { withSession } from '../session.js';
import { userDetails, usersTable } from '../user-output.js';

interface RawUserFlags {
  password?: string;
  homeDir?: string;
  permissions?: string[];
  publicKey?: string[];
  quotaSize?: number;
  quotaFiles?: number;
  description?: string;
  json: boolean;
}

const collect = (value: string, prev: string[] | undefined) => [...(prev ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
const keep = (value: string, prev: string[] | undefined) => [...(prev ?? []), value];

function addUserFlags(cmd: Command, isAdd: boolean): Command {
  const permissions = new Option('--permissions <list>', `permissions for "/": "*" or a list like list,download,upload${isAdd ? ' (default "*")' : ''}`)
    .argParser(collect);
  return cmd
    .option('--password <password>', 'password (hashed with the configured algorithm; an existing hash is stored as is)')
    .option('--home-dir <dir>', 'absolute home directory (default: users_base_dir/<username> when configured)')
    .addOption(permissions)
    .option('--public-key <key>', 'authorized public key, OpenSSH format (repeatable; replaces the list on update)', keep)
    .option('--quota-size <bytes>', 'maximum size in bytes, 0 = unlimited', parseNonNegative)
    .option('--quota-files <n>', 'maximum number of files, 0 = unlimited', parseNonNegative)
    .option('--description <text>', 'free description')
    .option('--json', 'print the user as JSON', false);
}

function fields(o: RawUserFlags): UserFields {
  return {
    password: o.password, homeDir: o.homeDir, permissions: o.permissions, publicKeys: o.publicKey,
    quotaSize: o.quotaSize, quotaFiles: o.quotaFiles, description: o.description,
  };
}

function printUser(u: User, json: boolean, verb?: string): void {
  if (json) process.stdout.write(`${JSON.stringify(u, null, 2)}\n`);
  else if (verb) process.stdout.write(`user "${u.username}" ${verb} (id ${u.id ?? 0})\n`);
  else process.stdout.write(userDetails(u));
}

/** Registers `user` and its subcommands. */
export function register(program: Command): void {
  const user = program.command('user').description('Manage users on the configured data provider');
  addUserFlags(user.command('add <username>').description('Add a user'), true)
    .action(async (username: string, o: RawUserFlags, cmd: Command) => {
      const saved = await withSession(cmd, { write: true }, (s) => addUser(s, username, fields(o)));
      printUser(saved, o.json, 'added');
    });
  addUserFlags(user.command('update <username>').description('Change the given fields of a user; the others are kept'), false)
    .action(async (username: string, o: RawUserFlags, cmd: Command) => {
      const saved = await withSession(cmd, { write: true }, (s) => updateUser(s, username, fields(o)));
      printUser(saved, o.json, 'updated');
    });
  user.command('delete <username>').description('Delete a user (its files are kept)')
    .action(async (username: string, _o: unknown, cmd: Command) => {
      await withSession(cmd, { write: true }, (s) => deleteUser(s, username));
      process.stdout.write(`user "${username}" deleted\n`);
    });
  user.command('get <username>').description('Show a user').option('--json', 'print JSON', false)
    .action(async (username: string, o: { json: boolean }, cmd: Command) => {
      printUser(await withSession(cmd, { write: false }, (s) => getUser(s, username)), o.json);
    });
  registerList(user);
}

function registerList(user: Command): void {
  user.command('list').description('List users, ordered by username')
    .option('--limit <n>', 'page size', parseNonNegative, 100)
    .option('--offset <n>', 'users to skip', parseNonNegative, 0)
    .addOption(new Option('--order <order>', 'ASC or DESC').choices(['ASC', 'DESC']).default('ASC'))
    .option('--json', 'print JSON', false)
    .action(async (o: { limit: number; offset: number; order: 'ASC' | 'DESC'; json: boolean }, cmd: Command) => {
      const users = await withSession(cmd, { write: false }, (s) => listUsers(s, { limit: o.limit, offset: o.offset, order: o.order }));
      process.stdout.write(o.json ? `${JSON.stringify(users, null, 2)}\n` : usersTable(users, process.stdout.isTTY === true));
    });
}
