/**
 * Throw-away TLS material for tests, made with the openssl CLI in a temp dir (never committed):
 * a self-signed server certificate for 127.0.0.1, a client CA, client certificates signed by it,
 * and a CRL revoking some of them.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './harness.js';

async function openssl(dir: string, args: string[]): Promise<void> {
  const r = await run('openssl', args, { cwd: dir });
  if (r.code !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface Pki {
  serverCert: string;
  serverKey: string;
  caCert: string;
  /** Client certificate and key by common name. */
  client(cn: string): { cert: string; key: string };
  crl: string;
}

/** Builds the material; `clients` get certificates, `revoked` ones are listed in the CRL. */
export async function makePki(dir: string, clients: string[], revoked: string[] = []): Promise<Pki> {
  const p = (f: string) => path.join(dir, f);
  await openssl(dir, ['req', '-x509', ...EC, '-keyout', 'server.key', '-out', 'server.pem', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  await openssl(dir, ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=sftpgo-test-ca']);
  for (const cn of clients) {
    await openssl(dir, ['req', '-new', ...EC, '-keyout', `${cn}.key`, '-out', `${cn}.csr`, '-subj', `/CN=${cn}`]);
    await openssl(dir, ['x509', '-req', '-in', `${cn}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${cn}.pem`, '-days', '1']);
  }
  await writeFile(p('index.txt'), '');
  await writeFile(p('crlnumber'), '01\n');
  await writeFile(p('ca.cnf'), `[ca]\ndefault_ca = d\n[d]\ndatabase = ${p('index.txt')}\ncrlnumber = ${p('crlnumber')}\ndefault_md = sha256\ndefault_crl_days = 1\n`);
  for (const cn of revoked) await openssl(dir, ['ca', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-revoke', `${cn}.pem`]);
  await openssl(dir, ['ca', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-gencrl', '-out', 'crl.pem']);
  return {
    serverCert: p('server.pem'), serverKey: p('server.key'), caCert: p('ca.pem'), crl: p('crl.pem'),
    client: (cn) => ({ cert: p(`${cn}.pem`), key: p(`${cn}.key`) }),
  };
}
