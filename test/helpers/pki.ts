/**
 * A throwaway PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1/localhost,
 * client certificates, and a CRL revoking chosen clients (for mutual TLS tests).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Pki {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  client(name: string): { cert: string; key: string };
  /** Issues a client certificate signed by the CA. */
  issueClient(name: string): Promise<void>;
  /** Revokes the named clients and writes the CRL; returns its path. */
  crl(revoked: string[]): Promise<string>;
}

const CA_CONF = `[ca]
default_ca = local
[local]
dir = .
database = index.txt
crlnumber = crlnumber
default_md = sha256
default_crl_days = 1
`;

async function sign(dir: string, name: string, subj: string, ext?: string): Promise<void> {
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subj, '-keyout', `${name}.key`, '-out', `${name}.csr`], { cwd: dir });
  const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.crt`];
  if (ext) {
    await writeFile(join(dir, `${name}.ext`), ext);
    args.push('-extfile', `${name}.ext`);
  }
  await run('openssl', args, { cwd: dir });
}

export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=Test CA',
    '-keyout', 'ca.key', '-out', 'ca.crt'], { cwd: dir });
  await sign(dir, 'server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'crlnumber'), '01\n');
  await writeFile(join(dir, 'ca.cnf'), CA_CONF);
  return {
    dir, ca: join(dir, 'ca.crt'), serverCert: join(dir, 'server.crt'), serverKey: join(dir, 'server.key'),
    client: (name) => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) }),
    issueClient: (name) => sign(dir, name, `/CN=${name}`),
    async crl(revoked) {
      for (const name of revoked) await run('openssl', ['ca', '-config', 'ca.cnf', '-cert', 'ca.crt', '-keyfile', 'ca.key', '-revoke', `${name}.crt`], { cwd: dir });
      await run('openssl', ['ca', '-config', 'ca.cnf', '-cert', 'ca.crt', '-keyfile', 'ca.key', '-gencrl', '-out', 'ca.crl'], { cwd: dir });
      return join(dir, 'ca.crl');
    },
  };
}
