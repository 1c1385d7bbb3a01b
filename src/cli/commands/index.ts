/**
 * Every CLI command, one module per command; each exports `register(program)`. Adding a command is
 * one import and one array entry here.
 */
import type { Command } from 'commander';
import * as serve from './serve.js';
import * as gen from './gen.js';
import * as version from './version.js';
import * as quota from './quota.js';
import * as portable from './portable.js';
import * as initprovider from './initprovider.js';
import * as revertprovider from './revertprovider.js';
import * as dumpdata from './dumpdata.js';
import * as loaddata from './loaddata.js';
import * as user from './user.js';
import * as startsubsys from './startsubsys.js';
import * as service from './service.js';

/** A command module. */
export interface CommandModule {
  register(program: Command): void;
}

/** Every command, in help order. */
export const COMMANDS: readonly CommandModule[] = [
  serve,
  gen,
  version,
  quota,
  portable,
  initprovider,
  revertprovider,
  dumpdata,
  loaddata,
  user,
  startsubsys,
  service,
];
