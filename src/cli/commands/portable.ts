/**
 * `sftpgo portable`: share one directory now, with a throwaway user built from flags
 * (SFTPGo v2.1.2's flags, INVENTORY §1.2). Parsing only; the work is `runPortable`.
 */
import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { FsProvider, type FilesystemConfig, type FsProviderCode, type Secret } from '../../dataprovider/models.js';
import { DEFAULT_PERMISSIONS, DEFAULT_SSH_COMMANDS, type PortableFlags } from '../../app/portable/options.js';
import { getVersionInfo } from '../../util/version.js';
import { invalidInput } from '../../util/errors.js';
import { boolOption, globalOptions, parseIntStrict } from '../options.js';

/** Commander's parsed options of `portable`. */
export type Raw = Record<string, string | string[] | number | boolean>;

/**
 * A repeatable list flag (cobra's StringSlice): the first value given replaces the default, later
 * ones add to it. Commander hands the default to the first parse call, hence the identity check.
 */
const list = (flags: string, desc: string, def: string[] = []) =>
  new Option(flags, desc).default(def).argParser((v: string, prev: string[]) => (prev === def ? [v] : [...prev, v]));
const int = (flags: string, desc: string, def: number) => new Option(flags, desc).argParser(parseIntStrict).default(def);
const str = (flags: string, desc: string, def = '') => new Option(flags, desc).default(def);
const plain = (payload: unknown): Secret | undefined => (payload ? { status: 'Plain', payload: String(payload) } : undefined);

/** The storage block from --fs-provider and the backend flags (unused blocks are dropped by validation). */
function filesystemFrom(o: Raw): FilesystemConfig {
  const provider = Number(o.fsProvider) as FsProviderCode;
  return {
    provider,
    s3config: {
      bucket: String(o.s3Bucket), region: String(o.s3Region), access_key: String(o.s3AccessKey), access_secret: plain(o.s3AccessSecret),
      endpoint: String(o.s3Endpoint), storage_class: String(o.s3StorageClass), key_prefix: String(o.s3KeyPrefix),
      upload_part_size: Number(o.s3UploadPartSize), upload_concurrency: Number(o.s3UploadConcurrency),
    },
    gcsconfig: {
      bucket: String(o.gcsBucket), storage_class: String(o.gcsStorageClass), key_prefix: String(o.gcsKeyPrefix),
      automatic_credentials: o.gcsCredentialsFile ? 0 : (Number(o.gcsAutomaticCredentials) as 0 | 1),
    },
    azblobconfig: {
      container: String(o.azContainer), account_name: String(o.azAccountName), account_key: plain(o.azAccountKey),
      sas_url: plain(o.azSasUrl), endpoint: String(o.azEndpoint), access_tier: String(o.azAccessTier) as '',
      key_prefix: String(o.azKeyPrefix), upload_part_size: Number(o.azUploadPartSize),
      upload_concurrency: Number(o.azUploadConcurrency), use_emulator: Boolean(o.azUseEmulator),
    },
    cryptconfig: { passphrase: plain(o.cryptoPassphrase) },
    sftpconfig: {
      endpoint: String(o.sftpEndpoint), username: String(o.sftpUsername), password: plain(o.sftpPassword),
      fingerprints: (o.sftpFingerprints as string[]).flatMap((f) => f.split(',')).filter(Boolean), prefix: String(o.sftpPrefix),
      disable_concurrent_reads: Boolean(o.sftpDisableConcurrentReads), buffer_size: Number(o.sftpBufferSize),
    },
  };
}

const MAX_KEY_FILE = 1024 * 1024;

/**
 * --sftp-key-path and --gcs-credentials-file name files (at most 1 MB) whose content becomes a
 * secret; read only for the backend in use, as SFTPGo does.
 */
async function readKeyFiles(o: Raw, fs: FilesystemConfig): Promise<void> {
  const read = async (file: string) => {
    const st = await stat(file);
    if (st.size > MAX_KEY_FILE) throw invalidInput(`"${file}" is too big ${st.size}/${MAX_KEY_FILE} bytes`);
    return readFile(file, 'utf8');
  };
  if (o.sftpKeyPath && fs.provider === FsProvider.SFTP && fs.sftpconfig) fs.sftpconfig.private_key = plain(await read(String(o.sftpKeyPath)));
  if (o.gcsCredentialsFile && fs.provider === FsProvider.GCS && fs.gcsconfig) fs.gcsconfig.credentials = plain(await read(String(o.gcsCredentialsFile)));
}

function addStorageOptions(cmd: Command): Command {
  return cmd
    .addOption(int('-f, --fs-provider <n>', '0 local, 1 S3, 2 GCS, 3 Azure Blob, 4 encrypted local, 5 SFTP', 0))
    .addOption(str('--s3-bucket <v>', '')).addOption(str('--s3-region <v>', '')).addOption(str('--s3-access-key <v>', ''))
    .addOption(str('--s3-access-secret <v>', '')).addOption(str('--s3-endpoint <v>', '')).addOption(str('--s3-storage-class <v>', ''))
    .addOption(str('--s3-key-prefix <v>', '')).addOption(int('--s3-upload-part-size <MB>', '', 5)).addOption(int('--s3-upload-concurrency <n>', '', 2))
    .addOption(str('--gcs-bucket <v>', '')).addOption(str('--gcs-storage-class <v>', '')).addOption(str('--gcs-key-prefix <v>', ''))
    .addOption(str('--gcs-credentials-file <file>', '')).addOption(int('--gcs-automatic-credentials <n>', '1 = application default credentials', 1))
    .addOption(str('--az-container <v>', '')).addOption(str('--az-account-name <v>', '')).addOption(str('--az-account-key <v>', ''))
    .addOption(str('--az-sas-url <v>', '')).addOption(str('--az-endpoint <v>', '')).addOption(str('--az-access-tier <v>', ''))
    .addOption(str('--az-key-prefix <v>', '')).addOption(int('--az-upload-part-size <MB>', '', 4)).addOption(int('--az-upload-concurrency <n>', '', 2))
    .addOption(boolOption('--az-use-emulator', '', false))
    .addOption(str('--crypto-passphrase <v>', 'passphrase of the encrypted local storage'))
    .addOption(str('--sftp-endpoint <host:port>', '')).addOption(str('--sftp-username <v>', '')).addOption(str('--sftp-password <v>', ''))
    .addOption(str('--sftp-key-path <file>', '')).addOption(list('--sftp-fingerprints <fp>', 'SHA256 host key fingerprints'))
    .addOption(str('--sftp-prefix <v>', '')).addOption(boolOption('--sftp-disable-concurrent-reads', '', false))
    .addOption(int('--sftp-buffer-size <MB>', '0..16', 0));
}

/** Registers `portable`. */
export function register(program: Command): void {
  const cmd = program.command('portable').description('Serve a single directory with a throwaway user (memory provider)')
    .addOption(str('-d, --directory <dir>', 'directory to serve', '.'))
    .addOption(str('-u, --username <name>', 'username', 'user'))
    .addOption(str('-p, --password <pw>', 'password; generated when empty and no public key is given'))
    .addOption(list('-k, --public-key <key>', 'authorized public key (repeatable)'))
    .addOption(list('-g, --permissions <perms>', 'permissions for "/", "*" = all', [DEFAULT_PERMISSIONS.join(',')]))
    .addOption(list('--allowed-patterns <spec>', 'allowed file patterns, /dir::pat1,pat2 (repeatable)'))
    .addOption(list('--denied-patterns <spec>', 'denied file patterns, /dir::pat1,pat2 (repeatable)'))
    .addOption(int('-s, --sftpd-port <port>', '0 = random port, < 0 disables SFTP', 0))
    .addOption(int('--ftpd-port <port>', '0 = random port, < 0 disables FTP', -1))
    .addOption(int('--webdav-port <port>', '0 = random port, < 0 disables WebDAV', -1))
    .addOption(list('-c, --ssh-commands <cmds>', 'SSH commands to enable, "*" = all', [DEFAULT_SSH_COMMANDS.join(',')]))
    .addOption(str('--ftpd-cert <file>', 'FTPS certificate')).addOption(str('--ftpd-key <file>', 'FTPS key'))
    .addOption(str('--webdav-cert <file>', 'WebDAV TLS certificate')).addOption(str('--webdav-key <file>', 'WebDAV TLS key'))
    .addOption(str('-l, --log-file-path <path>', 'log file; empty = console only'))
    .addOption(boolOption('-v, --log-verbose', 'debug level logs', false))
    .addOption(boolOption('-S, --advertise-service', 'advertise the services over mDNS/DNS-SD', false))
    .addOption(boolOption('-C, --advertise-credentials', 'include the credentials in the mDNS records', false));
  addStorageOptions(cmd).action(async (_o: Raw, command: Command) => {
    const v = getVersionInfo();
    const g = globalOptions(command);
    // Loaded on use: other commands start without the servers' code.
    const { runPortable } = await import('../../app/portable/run.js');
    process.exitCode = await runPortable({
      stdout: process.stdout, stderr: process.stderr, env: process.env,
      build: { version: v.version, commit: v.commit, buildDate: v.buildDate },
      configDir: g.configDir, configFile: g.configFile,
    }, await portableFlags(command.opts<Raw>()));
  });
}

/** The parsed options of `portable` as {@link PortableFlags} (key files read). */
export async function portableFlags(o: Raw): Promise<PortableFlags> {
  const filesystem = filesystemFrom(o);
  await readKeyFiles(o, filesystem);
  return {
    directory: String(o.directory), username: String(o.username), password: String(o.password),
    publicKeys: o.publicKey as string[], permissions: o.permissions as string[],
    allowedPatterns: o.allowedPatterns as string[], deniedPatterns: o.deniedPatterns as string[],
    sftpdPort: Number(o.sftpdPort), ftpdPort: Number(o.ftpdPort), webdavPort: Number(o.webdavPort),
    sshCommands: o.sshCommands as string[], ftpdCert: String(o.ftpdCert), ftpdKey: String(o.ftpdKey),
    webdavCert: String(o.webdavCert), webdavKey: String(o.webdavKey),
    logFilePath: String(o.logFilePath), logVerbose: Boolean(o.logVerbose),
    advertiseService: Boolean(o.advertiseService), advertiseCredentials: Boolean(o.advertiseCredentials), filesystem,
  };
}
