/**
 * The storage backend part of the user and folder forms: a provider select and one fieldset per
 * backend (shown for the selected provider by CSS `:has()`, no script). Stored secrets are never
 * sent to the browser: their inputs hold a placeholder, and the placeholder sent back becomes a
 * `Redacted` secret, which the data service resolves to the stored value (INVENTORY §8.4).
 */
import { FsProvider, type FilesystemConfig, type FsProviderCode, type Secret } from '../../../../dataprovider/models.js';
import { checkbox, input, select, textarea } from '../controls.js';
import type { FormReader } from '../forms.js';
import { html, type SafeHtml } from '../html.js';

/** What a stored secret shows in its input. */
export const REDACTED_PLACEHOLDER = '[**redacted**]';

const PROVIDERS: [string, string][] = [
  [String(FsProvider.Local), 'Local'], [String(FsProvider.Crypt), 'Local encrypted'], [String(FsProvider.S3), 'AWS S3 (compatible)'],
  [String(FsProvider.GCS), 'Google Cloud Storage'], [String(FsProvider.AzureBlob), 'Azure Blob Storage'], [String(FsProvider.SFTP), 'SFTP'],
];

/**
 * Stored records reach the form through the data service's redaction (status Redacted), so they
 * show the placeholder; a Plain secret is one the admin just typed into a form shown again.
 */
function secretValue(secret: Secret | undefined): string {
  if (!secret?.status) return '';
  return secret.status === 'Plain' ? (secret.payload ?? '') : REDACTED_PLACEHOLDER;
}

function block(provider: FsProviderCode, legend: string, body: SafeHtml): SafeHtml {
  return html`<fieldset class="fs-block fs-${provider}"><legend>${legend}</legend><div class="grid">${body}</div></fieldset>`;
}

/** The storage fieldsets for `fs` (values of the stored or submitted config). */
export function fsFields(fs: FilesystemConfig | undefined): SafeHtml {
  const provider = String(fs?.provider ?? FsProvider.Local);
  const s3 = fs?.s3config ?? {};
  const gcs = fs?.gcsconfig ?? {};
  const az = fs?.azblobconfig ?? {};
  const sftp = fs?.sftpconfig ?? {};
  const secretHelp = { help: `Leave ${REDACTED_PLACEHOLDER} to keep the stored value` };
  return html`<fieldset><legend>Storage</legend>${select('Storage backend', 'fs_provider', PROVIDERS, provider)}</fieldset>
${block(FsProvider.Crypt, 'Local encrypted', input('Passphrase', 'crypt_passphrase', secretValue(fs?.cryptconfig?.passphrase), 'password', secretHelp))}
${block(FsProvider.S3, 'S3', html`${input('Bucket', 's3_bucket', s3.bucket)}${input('Region', 's3_region', s3.region)}
  ${input('Access key', 's3_access_key', s3.access_key)}${input('Access secret', 's3_access_secret', secretValue(s3.access_secret), 'password', secretHelp)}
  ${input('Endpoint', 's3_endpoint', s3.endpoint)}${input('Storage class', 's3_storage_class', s3.storage_class)}
  ${input('Key prefix', 's3_key_prefix', s3.key_prefix, 'text', { help: 'Like "folder/subfolder/": the user sees only this prefix' })}
  ${input('Upload part size (MB)', 's3_upload_part_size', s3.upload_part_size ?? 0, 'number')}
  ${input('Upload concurrency', 's3_upload_concurrency', s3.upload_concurrency ?? 0, 'number')}`)}
${block(FsProvider.GCS, 'Google Cloud Storage', html`${input('Bucket', 'gcs_bucket', gcs.bucket)}
  ${textarea('Credentials (service account JSON)', 'gcs_credentials', secretValue(gcs.credentials), secretHelp)}
  ${checkbox('Automatic credentials', 'gcs_auto_credentials', gcs.automatic_credentials === 1)}
  ${input('Storage class', 'gcs_storage_class', gcs.storage_class)}${input('Key prefix', 'gcs_key_prefix', gcs.key_prefix)}`)}
${block(FsProvider.AzureBlob, 'Azure Blob Storage', html`${input('Container', 'az_container', az.container)}
  ${input('Account name', 'az_account_name', az.account_name)}${input('Account key', 'az_account_key', secretValue(az.account_key), 'password', secretHelp)}
  ${input('Shared access signature URL', 'az_sas_url', secretValue(az.sas_url), 'password', secretHelp)}${input('Endpoint', 'az_endpoint', az.endpoint)}
  ${input('Upload part size (MB)', 'az_upload_part_size', az.upload_part_size ?? 0, 'number')}
  ${input('Upload concurrency', 'az_upload_concurrency', az.upload_concurrency ?? 0, 'number')}
  ${select('Access tier', 'az_access_tier', [['', 'Default'], ['Hot', 'Hot'], ['Cool', 'Cool'], ['Archive', 'Archive']], az.access_tier ?? '')}
  ${input('Key prefix', 'az_key_prefix', az.key_prefix)}${checkbox('Use emulator', 'az_use_emulator', az.use_emulator === true)}`)}
${block(FsProvider.SFTP, 'SFTP', html`${input('Endpoint', 'sftp_endpoint', sftp.endpoint, 'text', { help: 'host:port' })}
  ${input('Username', 'sftp_username', sftp.username)}${input('Password', 'sftp_password', secretValue(sftp.password), 'password', secretHelp)}
  ${textarea('Private key', 'sftp_private_key', secretValue(sftp.private_key), secretHelp)}
  ${textarea('Fingerprints', 'sftp_fingerprints', (sftp.fingerprints ?? []).join('\n'), { help: 'One SHA256 fingerprint per line' })}
  ${input('Prefix', 'sftp_prefix', sftp.prefix)}${input('Buffer size (MB)', 'sftp_buffer_size', sftp.buffer_size ?? 0, 'number')}
  ${checkbox('Disable concurrent reads', 'sftp_disable_concurrent_reads', sftp.disable_concurrent_reads === true)}`)}`;
}

function secretFrom(f: FormReader, name: string): Secret | undefined {
  const v = f.rawStr(name).trim();
  if (v === '') return undefined;
  return v === REDACTED_PLACEHOLDER ? { status: 'Redacted' } : { status: 'Plain', payload: v };
}

/** Drops undefined and empty-string values so only what the form set is sent on. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** The filesystem config of the submitted form: only the selected provider's block. */
export function fsFromForm(f: FormReader): FilesystemConfig {
  const provider = f.int('fs_provider', 0) as FsProviderCode;
  if (!(Object.values(FsProvider) as number[]).includes(provider)) f.problem('fs_provider', `unknown storage backend ${provider}`);
  switch (provider) {
    case FsProvider.Crypt: return { provider, cryptconfig: compact({ passphrase: secretFrom(f, 'crypt_passphrase') }) };
    case FsProvider.S3: return { provider, s3config: compact({
      bucket: f.str('s3_bucket'), region: f.str('s3_region'), access_key: f.str('s3_access_key'), access_secret: secretFrom(f, 's3_access_secret'),
      endpoint: f.str('s3_endpoint'), storage_class: f.str('s3_storage_class'), key_prefix: f.str('s3_key_prefix'),
      upload_part_size: f.int('s3_upload_part_size'), upload_concurrency: f.int('s3_upload_concurrency'),
    }) };
    case FsProvider.GCS: return { provider, gcsconfig: compact({
      bucket: f.str('gcs_bucket'), credentials: secretFrom(f, 'gcs_credentials'), automatic_credentials: (f.bool('gcs_auto_credentials') ? 1 : 0) as 0 | 1,
      storage_class: f.str('gcs_storage_class'), key_prefix: f.str('gcs_key_prefix'),
    }) };
    case FsProvider.AzureBlob: return { provider, azblobconfig: compact({
      container: f.str('az_container'), account_name: f.str('az_account_name'), account_key: secretFrom(f, 'az_account_key'),
      sas_url: secretFrom(f, 'az_sas_url'), endpoint: f.str('az_endpoint'), upload_part_size: f.int('az_upload_part_size'),
      upload_concurrency: f.int('az_upload_concurrency'), access_tier: f.str('az_access_tier') as '' | 'Hot' | 'Cool' | 'Archive',
      key_prefix: f.str('az_key_prefix'), use_emulator: f.bool('az_use_emulator'),
    }) };
    case FsProvider.SFTP: return { provider, sftpconfig: compact({
      endpoint: f.str('sftp_endpoint'), username: f.str('sftp_username'), password: secretFrom(f, 'sftp_password'),
      private_key: secretFrom(f, 'sftp_private_key'), fingerprints: f.lines('sftp_fingerprints'), prefix: f.str('sftp_prefix'),
      disable_concurrent_reads: f.bool('sftp_disable_concurrent_reads'), buffer_size: f.int('sftp_buffer_size'),
    }) };
    default: return { provider: FsProvider.Local };
  }
}

