import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildConfig, loadConfig, resolvePath } from '../../../src/config/index.js';
import { SftpGoError } from '../../../src/util/errors.js';

/** A temp config dir holding `files`; HOME points inside it so no real ~/.config/sftpgo leaks in. */
async function withDir(files: Record<string, string>, fn: (dir: string, env: NodeJS.ProcessEnv) => Promise<void>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-config-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    await fn(dir, { HOME: path.join(dir, 'home') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fileCfg = JSON.stringify({
  common: { idle_timeout: 5, defender: { threshold: 20 } },
  sftpd: { bindings: [{ port: 3022 }, { port: 3023, address: '127.0.0.1' }] },
});

test('no file: defaults, configFile empty, config frozen', async () => {
  await withDir({}, async (dir, env) => {
    const l = await loadConfig({ configDir: dir, env });
    assert.equal(l.configFile, '');
    assert.equal(l.configDir, dir);
    assert.equal(l.config.sftpd.bindings[0]!.port, 2022);
    assert.ok(Object.isFrozen(l.config.sftpd.bindings[0]));
    assert.throws(() => { (l.config.common as { idle_timeout: number }).idle_timeout = 1; }, TypeError);
  });
});

test('nested key: file < env < overrides', async () => {
  await withDir({ 'sftpgo.json': fileCfg }, async (dir, env) => {
    const fromFile = await loadConfig({ configDir: dir, env });
    assert.equal(fromFile.config.common.defender.threshold, 20);
    assert.equal(fromFile.config.common.defender.ban_time, 30, 'siblings keep defaults');
    assert.equal(fromFile.configFile, path.join(dir, 'sftpgo.json'));
    const envCfg = { ...env, SFTPGO_COMMON__DEFENDER__THRESHOLD: '30' };
    assert.equal((await loadConfig({ configDir: dir, env: envCfg })).config.common.defender.threshold, 30);
    const flag = await loadConfig({ configDir: dir, env: envCfg, overrides: { common: { defender: { threshold: 40 } } } });
    assert.equal(flag.config.common.defender.threshold, 40);
  });
});

test('list-index key: file < SFTPGO_SFTPD__BINDINGS__0__PORT < overrides; index == length appends', async () => {
  await withDir({ 'sftpgo.json': fileCfg }, async (dir, env) => {
    const f = await loadConfig({ configDir: dir, env });
    assert.deepEqual(f.config.sftpd.bindings.map((b) => b.port), [3022, 3023]);
    assert.equal(f.config.sftpd.bindings[0]!.apply_proxy_config, true, 'file items start from item defaults');
    const e = await loadConfig({
      configDir: dir,
      env: { ...env, SFTPGO_SFTPD__BINDINGS__0__PORT: '4022', SFTPGO_SFTPD__BINDINGS__2__ADDRESS: '::1' },
    });
    assert.deepEqual(e.config.sftpd.bindings.map((b) => [b.port, b.address]), [[4022, ''], [3023, '127.0.0.1'], [0, '::1']]);
    const o = await loadConfig({
      configDir: dir, env: { ...env, SFTPGO_SFTPD__BINDINGS__0__PORT: '4022' }, overrides: { sftpd: { bindings: [{ port: 5022 }] } },
    });
    assert.deepEqual(o.config.sftpd.bindings.map((b) => b.port), [5022]);
  });
});

test('env: lists comma-separated, booleans, empty values honoured, floats', async () => {
  await withDir({}, async (dir, env) => {
    const l = await loadConfig({
      configDir: dir,
      env: {
        ...env,
        SFTPGO_COMMON__ACTIONS__EXECUTE_ON: 'upload, download',
        SFTPGO_SFTPD__ENABLED_SSH_COMMANDS: '',
        SFTPGO_SFTPD__BANNER: '',
        SFTPGO_COMMON__DEFENDER__ENABLED: '1',
        SFTPGO_DATA_PROVIDER__PASSWORD_CACHING: 'false',
        SFTPGO_HTTP__TIMEOUT: '2.5',
        SFTPGO_HTTP__HEADERS__0__KEY: 'X-A',
        SFTPGO_HTTP__HEADERS__0__VALUE: 'b',
        SFTPGO_LOG_VERBOSE: 'x',
      },
    });
    assert.deepEqual(l.config.common.actions.execute_on, ['upload', 'download']);
    assert.deepEqual(l.config.sftpd.enabled_ssh_commands, []);
    assert.equal(l.config.sftpd.banner, 'SFTPGo_2.1.2', 'an empty banner means the default banner (SFTPGo)');
    assert.equal(l.config.common.defender.enabled, true);
    assert.equal(l.config.data_provider.password_caching, false);
    assert.equal(l.config.http.timeout, 2.5);
    assert.deepEqual(l.config.http.headers, [{ key: 'X-A', value: 'b', url: '' }]);
    assert.deepEqual(l.warnings, [], 'non-config SFTPGO_ variables are not warned about');
  });
});

test('YAML and TOML files', async () => {
  const yaml = 'common:\n  upload_mode: 1\nsftpd:\n  bindings:\n    - port: 2200\n';
  await withDir({ 'sftpgo.yaml': yaml }, async (dir, env) => {
    const l = await loadConfig({ configDir: dir, env });
    assert.equal(l.config.common.upload_mode, 1);
    assert.equal(l.config.sftpd.bindings[0]!.port, 2200);
  });
  const toml = '[common]\nupload_mode = 2\n\n[[sftpd.bindings]]\nport = 2300\naddress = "127.0.0.1"\n';
  await withDir({ 'custom.toml': toml }, async (dir, env) => {
    const l = await loadConfig({ configDir: dir, configFile: 'custom.toml', env });
    assert.equal(l.config.common.upload_mode, 2);
    assert.deepEqual(l.config.sftpd.bindings, [{ port: 2300, address: '127.0.0.1', apply_proxy_config: true }]);
  });
});

test('search order: config dir first, then $HOME/.config/sftpgo', async () => {
  await withDir({}, async (dir, env) => {
    const homeCfg = path.join(env.HOME!, '.config', 'sftpgo');
    await mkdir(homeCfg, { recursive: true });
    await writeFile(path.join(homeCfg, 'sftpgo.json'), '{"common":{"idle_timeout":7}}');
    const sub = path.join(dir, 'cfg');
    await mkdir(sub);
    assert.equal((await loadConfig({ configDir: sub, env })).config.common.idle_timeout, 7);
    await writeFile(path.join(sub, 'sftpgo.yml'), 'common:\n  idle_timeout: 8\n');
    assert.equal((await loadConfig({ configDir: sub, env })).config.common.idle_timeout, 8);
  });
});

test('an invalid config is refused with every bad key named', async () => {
  const bad = JSON.stringify({
    common: { upload_mode: 5, proxy_protocol: '1', actions: { execute_on: ['upload', 'bogus'] } },
    ftpd: { bindings: [{ tls_mode: 9, force_passive_ip: 'example.com' }] },
    data_provider: { driver: 'oracle', track_quota: 3, password_hashing: { algo: 'md5' } },
    sftpd: { bindings: [{ port: 70000 }] },
  });
  await withDir({ 'sftpgo.json': bad }, async (dir, env) => {
    const err = await loadConfig({ configDir: dir, env: { ...env, SFTPGO_HTTPD__BINDINGS__0__PORT: 'abc', SFTPGO_COMMON__IDLE_TIMEOUT: '1x' } })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SftpGoError);
    assert.equal(err.kind, 'InvalidInput');
    const fields = err.problems.map((p) => p.field).sort();
    assert.deepEqual(fields, [
      'common.actions.execute_on', 'common.idle_timeout', 'common.proxy_protocol', 'common.upload_mode',
      'data_provider.driver', 'data_provider.password_hashing.algo', 'data_provider.track_quota',
      'ftpd.bindings.0.force_passive_ip', 'ftpd.bindings.0.tls_mode', 'httpd.bindings.0.port', 'sftpd.bindings.0.port',
    ]);
    for (const f of fields) assert.ok(err.message.includes(f), `message names ${f}`);
  });
});

test('unknown keys are ignored with a warning; deprecated bind_port replaces bindings', async () => {
  const cfg = JSON.stringify({ sftpd: { bind_port: 2122, bind_address: '127.0.0.1', idle_timeout: 3, nope: 1 }, extra: {} });
  await withDir({ 'sftpgo.json': cfg }, async (dir, env) => {
    const l = await loadConfig({ configDir: dir, env });
    assert.deepEqual(l.config.sftpd.bindings, [{ port: 2122, address: '127.0.0.1', apply_proxy_config: true }]);
    const w = l.warnings!.join('\n');
    assert.match(w, /sftpd\.nope/);
    assert.match(w, /extra/);
    assert.match(w, /sftpd\.idle_timeout is deprecated and ignored/);
    assert.match(w, /sftpd\.bind_port, sftpd\.bind_address are deprecated/);
    assert.doesNotMatch(w, /unknown config key sftpd\.bind/);
  });
});

test('explicit missing --config-file fails; unparsable file fails clearly', async () => {
  await withDir({ 'sftpgo.json': '{ not json' }, async (dir, env) => {
    await assert.rejects(loadConfig({ configDir: dir, configFile: 'missing.json', env }), /not found/);
    await assert.rejects(loadConfig({ configDir: dir, env }), /cannot parse config file/);
  });
});

test('buildConfig validates overrides and resolvePath keeps absolute/empty paths', () => {
  assert.equal(buildConfig({ sftpd: { max_auth_tries: 3 } }).sftpd.max_auth_tries, 3);
  assert.throws(() => buildConfig({ common: { upload_mode: 9 } }), /common\.upload_mode/);
  assert.equal(resolvePath('/etc/sftpgo', 'id_rsa'), '/etc/sftpgo/id_rsa');
  assert.equal(resolvePath('/etc/sftpgo', '/abs/key'), '/abs/key');
  assert.equal(resolvePath('/etc/sftpgo', ''), '');
});

test('env problems are named: bad boolean, index gap; unknown config env is a warning', async () => {
  await withDir({}, async (dir, env) => {
    const err = await loadConfig({
      configDir: dir,
      env: { ...env, SFTPGO_COMMON__DEFENDER__ENABLED: 'yes', SFTPGO_SFTPD__BINDINGS__3__PORT: '22' },
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SftpGoError);
    assert.deepEqual(err.problems.map((p) => p.field).sort(), ['common.defender.enabled', 'sftpd.bindings.3']);
    assert.match(err.message, /SFTPGO_COMMON__DEFENDER__ENABLED/);
    const ok = await loadConfig({ configDir: dir, env: { ...env, SFTPGO_SFTPD__NO_SUCH_KEY: '1' } });
    assert.deepEqual(ok.warnings, ['unknown config env variable SFTPGO_SFTPD__NO_SUCH_KEY ignored']);
  });
});

test('formats viper reads but we do not (hcl, properties, dotenv, ini) are refused, never skipped for defaults', async () => {
  for (const name of ['sftpgo.hcl', 'sftpgo.properties', 'sftpgo.env', 'sftpgo.ini']) {
    await withDir({ [name]: 'common.idle_timeout = 3\n' }, async (dir, env) => {
      const err = await loadConfig({ configDir: dir, env }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof SftpGoError, `${name}: refused`);
      assert.equal(err.kind, 'NotSupported');
      assert.match(err.message, new RegExp(`^not supported: config file .*${name.replace('.', '\\.')}: format`));
    });
  }
  await withDir({ 'custom.hcl': 'x = 1\n' }, async (dir, env) => {
    await assert.rejects(loadConfig({ configDir: dir, configFile: 'custom.hcl', env }), /not supported: config file .*custom\.hcl: format "hcl"/);
  });
});

test('viper search order in one dir: json, then toml, then yaml', async () => {
  await withDir({ 'sftpgo.yaml': 'common:\n  idle_timeout: 3\n', 'sftpgo.toml': '[common]\nidle_timeout = 4\n' }, async (dir, env) => {
    const l = await loadConfig({ configDir: dir, env });
    assert.equal(l.configFile, path.join(dir, 'sftpgo.toml'));
    assert.equal(l.config.common.idle_timeout, 4);
  });
  await withDir({ 'sftpgo.hcl': 'x = 1\n', 'sftpgo.yml': 'common:\n  idle_timeout: 5\n' }, async (dir, env) => {
    assert.equal((await loadConfig({ configDir: dir, env })).config.common.idle_timeout, 5, 'yml comes before hcl');
  });
});
