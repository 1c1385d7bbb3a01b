/**
 * Test certificates made with openssl in a temp dir (never committed): a CA, a server
 * certificate for 127.0.0.1/localhost signed by it, a self-signed server certificate, and client
 * certificates (CN = user name) signed by the CA, plus one revoked through a CRL.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TestCerts {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  selfSignedCert: string;
  selfSignedKey: string;
  /** Client certificate and key for a CN. */
  client(cn: string): { cert: string; key: string };
  /** Client certificate revoked in `crl`. */
  revoked: { cert: string; key: string };
  crl: string;
  cleanup(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

export async function makeCerts(clientNames: string[] = []): Promise<TestCerts> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-ftp-certs-'));
  const p = (f: string) => path.join(dir, f);
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Test CA']);
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'self.key', '-out', 'self.crt', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  await writeFile(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const signed = (name: string, cn: string, ext?: string) => {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2',
      ...(ext ? ['-extfile', ext] : [])]);
    return { cert: p(`${name}.crt`), key: p(`${name}.key`) };
  };
  signed('server', 'localhost', 'server.ext');
  const clients = new Map(clientNames.map((cn) => [cn, signed(`client-${cn}`, cn)]));
  const revoked = signed('revoked', 'revoked');
  // A minimal CA database to issue the CRL that revokes `revoked`.
  await writeFile(p('index.txt'), '');
  await writeFile(p('crlnumber'), '01\n');
  await writeFile(p('ca.cnf'), [
    '[ca]', 'default_ca = test', '[test]', `database = ${p('index.txt')}`, `crlnumber = ${p('crlnumber')}`,
    'default_md = sha256', 'default_crl_days = 2', `certificate = ${p('ca.crt')}`, `private_key = ${p('ca.key')}`, '',
  ].join('\n'));
  openssl(dir, ['ca', '-config', 'ca.cnf', '-revoke', 'revoked.crt']);
  openssl(dir, ['ca', '-config', 'ca.cnf', '-gencrl', '-out', 'ca.crl']);
  return {
    dir, caCert: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'), selfSignedCert: p('self.crt'), selfSignedKey: p('self.key'),
    client(cn) {
      const c = clients.get(cn);
      if (!c) throw new Error(`no client certificate for ${cn}`);
      return c;
    },
    revoked, crl: p('ca.crl'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
