/**
 * The core's `Metrics` on prom-client, with SFTPGo's metric names (INVENTORY §9.3, no labels) plus
 * Node process metrics. One Registry per instance: no global default registry, so parallel servers
 * in one process never share counters.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../../core/types.js';
import type { ObjectStoreOp } from '../../vfs/types.js';
import type { LoginMethod } from '../../dataprovider/models.js';

/** Metric name part per login method (SFTPGo's names). */
export const LOGIN_METRIC_NAMES: Readonly<Record<LoginMethod, string>> = {
  password: 'password',
  publickey: 'public_key',
  TLSCertificate: 'tls_cert',
  'TLSCertificate+password': 'tls_cert_and_pwd',
  'keyboard-interactive': 'keyboard_interactive',
  'publickey+password': 'key_and_password',
  'publickey+keyboard-interactive': 'key_and_keyboard_int',
};

const CLOUD_BACKENDS = ['s3', 'gcs', 'az'] as const;
const CLOUD_SUFFIXES = [
  'uploads_total', 'downloads_total', 'upload_errors_total', 'download_errors_total', 'upload_size', 'download_size',
  'list_objects', 'copy_object', 'delete_object', 'list_objects_errors', 'copy_object_errors', 'delete_object_errors',
  'head_object', 'head_object_errors',
];
const CLOUD_EXTRA = ['s3_head_bucket', 's3_head_bucket_errors', 'gcs_head_bucket', 'gcs_head_bucket_errors', 'az_head_container', 'az_head_container_errors'];

export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly availability: Gauge;
  private readonly activeConnections: Gauge;

  constructor(opts: { processMetrics?: boolean } = {}) {
    this.availability = new Gauge({ name: 'sftpgo_dataprovider_availability', help: 'Availability for the configured data provider, 1 means OK, 0 KO', registers: [this.registry] });
    this.activeConnections = new Gauge({ name: 'sftpgo_active_connections', help: 'Total number of logged in users', registers: [this.registry] });
    for (const name of PromMetrics.counterNames()) {
      this.counters.set(name, new Counter({ name, help: `SFTPGo ${name.replace(/^sftpgo_/, '').replace(/_/g, ' ')}`, registers: [this.registry] }));
    }
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Every SFTPGo counter name (gauges excluded). */
  static counterNames(): string[] {
    const names = [
      'uploads_total', 'downloads_total', 'upload_errors_total', 'download_errors_total', 'upload_size', 'download_size',
      'ssh_commands_total', 'ssh_command_errors_total',
      'login_attempts_total', 'no_auth_total', 'login_ok_total', 'login_ko_total',
      'http_req_total', 'http_req_ok_total', 'http_client_errors_total', 'http_server_errors_total',
    ];
    for (const m of Object.values(LOGIN_METRIC_NAMES)) names.push(`${m}_login_attempts_total`, `${m}_login_ok_total`, `${m}_login_ko_total`);
    for (const b of CLOUD_BACKENDS) for (const s of CLOUD_SUFFIXES) names.push(`${b}_${s}`);
    names.push(...CLOUD_EXTRA);
    return names.map((n) => `sftpgo_${n}`);
  }

  private inc(name: string, by = 1): void {
    this.counters.get(`sftpgo_${name}`)?.inc(by);
  }

  transferCompleted(kind: 'upload' | 'download', bytes: number, ok: boolean): void {
    this.inc(`${kind}s_total`);
    if (!ok) this.inc(`${kind}_errors_total`);
    if (bytes > 0) this.inc(`${kind}_size`, bytes);
  }

  sshCommand(ok: boolean): void {
    this.inc('ssh_commands_total');
    if (!ok) this.inc('ssh_command_errors_total');
  }

  loginAttempt(method: LoginMethod | 'no_auth'): void {
    if (method === 'no_auth') {
      this.inc('no_auth_total');
      return;
    }
    this.inc('login_attempts_total');
    this.inc(`${LOGIN_METRIC_NAMES[method]}_login_attempts_total`);
  }

  loginResult(method: LoginMethod | 'no_auth', ok: boolean): void {
    if (method === 'no_auth') return;
    this.inc(ok ? 'login_ok_total' : 'login_ko_total');
    this.inc(`${LOGIN_METRIC_NAMES[method]}_login_${ok ? 'ok' : 'ko'}_total`);
  }

  connectionsChanged(active: number): void {
    this.activeConnections.set(active);
  }

  providerAvailability(ok: boolean): void {
    this.availability.set(ok ? 1 : 0);
  }

  /** `sftpgo_<b>_uploads_total`/`_upload_size`/..., `_list_objects`, `_head_object` and their `_errors`. */
  objectStoreCall(backend: 's3' | 'gcs' | 'az', op: ObjectStoreOp, ok: boolean, bytes = 0): void {
    if (op === 'upload' || op === 'download') {
      this.inc(`${backend}_${op}s_total`);
      if (!ok) this.inc(`${backend}_${op}_errors_total`);
      if (bytes > 0) this.inc(`${backend}_${op}_size`, bytes);
      return;
    }
    // SFTPGo names Azure's bucket check after its container.
    const name = op === 'head_bucket' && backend === 'az' ? 'head_container' : op;
    this.inc(`${backend}_${name}`);
    if (!ok) this.inc(`${backend}_${name}_errors`);
  }

  httpRequest(status: number): void {
    this.inc('http_req_total');
    if (status >= 500) this.inc('http_server_errors_total');
    else if (status >= 400) this.inc('http_client_errors_total');
    else this.inc('http_req_ok_total');
  }
}
