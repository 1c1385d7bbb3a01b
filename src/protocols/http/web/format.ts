/**
 * Display formatting shared by the pages: sizes, dates, quota and bandwidth summaries.
 */

/** 1536 -> "1.5 KB" (binary multiples, as SFTPGo shows them). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${Math.max(0, Math.trunc(n || 0))} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = n;
  let i = -1;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 10 ? 0 : 1)} ${units[i]}`;
}

/** Unix ms (or a Date) as "YYYY-MM-DD HH:MM:SS" UTC; "" for 0/undefined. */
export function formatDate(value: number | Date | undefined): string {
  const ms = value instanceof Date ? value.getTime() : value;
  if (!ms || ms <= 0) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** "used / limit" of a size quota and a files quota (limits of 0 are unlimited). */
export function quotaSummary(usedSize: number | undefined, size: number | undefined, usedFiles: number | undefined, files: number | undefined): string {
  const s = `${formatBytes(usedSize ?? 0)}/${size && size > 0 ? formatBytes(size) : '∞'}`;
  const f = `${usedFiles ?? 0}/${files && files > 0 ? files : '∞'} files`;
  return `${s}, ${f}`;
}

/** "UL/DL" bandwidth in KB/s (0 is unlimited). */
export function bandwidthSummary(up: number | undefined, down: number | undefined): string {
  const one = (v: number | undefined) => (v && v > 0 ? `${v} KB/s` : '∞');
  return `${one(up)} up, ${one(down)} down`;
}

/** Time elapsed since a Unix ms timestamp, as "1h 2m 3s". */
export function elapsed(sinceMs: number, now = Date.now()): string {
  let s = Math.max(0, Math.floor((now - sinceMs) / 1000));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
