/**
 * Build identity. The version is SFTPGo's; commit and date are baked in by the bundler, which
 * replaces the literal `process.env.SFTPGO_BUILD_COMMIT` / `SFTPGO_BUILD_DATE` expressions
 * (esbuild `define`), so they must stay written exactly like that.
 */

/** The SFTPGo release this implementation follows. */
export const VERSION = '2.1.2';

/**
 * Build features, printed like SFTPGo's build tags (`+enabled`, `-disabled`). Only what is built
 * and works is `+`: the cloud KMSes (AWS, GCP, Vault) and bolt are not built.
 */
export const FEATURES: readonly string[] = [
  '+metrics', '+s3', '+gcs', '+azblob', '-awskms', '-gcpkms', '-vaultkms',
  '-bolt', '+mysql', '+pgsql', '+sqlite', '+portable',
];

/** Version, commit and build date of this binary. */
export interface VersionInfo {
  version: string;
  commit: string;
  buildDate: string;
  features: readonly string[];
}

/** Reads the build identity (empty commit and date when not baked in, as SFTPGo's own builds). */
export function getVersionInfo(): VersionInfo {
  return {
    version: VERSION,
    commit: process.env.SFTPGO_BUILD_COMMIT || '',
    buildDate: process.env.SFTPGO_BUILD_DATE || '',
    features: FEATURES,
  };
}

/** `<version>-<commit>-<date>`, SFTPGo's short version string; an empty commit or date is left out with its dash. */
export function versionString(info: VersionInfo = getVersionInfo()): string {
  return [info.version, info.commit, info.buildDate].filter((p) => p !== '').join('-');
}

/** The `--version` line: `SFTPGo <version>-<commit>-<date> +feature -feature ...`. */
export function versionBanner(info: VersionInfo = getVersionInfo()): string {
  return `SFTPGo ${[versionString(info), ...info.features].join(' ')}`;
}
