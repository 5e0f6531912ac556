const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function compareIdentifiers(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Math.sign(Number(a) - Number(b));
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compare two versions by semantic-versioning precedence (`1.2.0-beta < 1.2.0 < 1.10.0`; build
 * metadata ignored) and return -1, 0 or 1. Strings that are not semver are compared as dotted
 * numbers, like the seed's upgrade check, so a sloppy index still sorts sensibly.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const ma = SEMVER.exec(a.trim());
  const mb = SEMVER.exec(b.trim());
  const parts = (v: string) => v.replace(/^v/, '').split(/[.+-]/);
  const [ca, cb] = ma && mb ? [ma.slice(1, 4), mb.slice(1, 4)] : [parts(a), parts(b)];
  for (let i = 0; i < Math.max(ca.length, cb.length); i++) {
    const d = compareIdentifiers(ca[i] ?? '0', cb[i] ?? '0');
    if (d !== 0) return d as -1 | 1;
  }
  if (!ma || !mb) return 0;
  const [pa, pb] = [ma[4], mb[4]];
  if (pa === pb) return 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  const [ia, ib] = [pa.split('.'), pb.split('.')];
  for (let i = 0; i < Math.max(ia.length, ib.length); i++) {
    if (ia[i] === undefined) return -1;
    if (ib[i] === undefined) return 1;
    const d = compareIdentifiers(ia[i] ?? '', ib[i] ?? '');
    if (d !== 0) return d as -1 | 1;
  }
  return 0;
}

/** True when `available` is newer than `installed` (an upgrade is offered). */
export function isUpgrade(installed: string, available: string): boolean {
  return compareVersions(available, installed) > 0;
}
