import { isAbsolute, relative, sep } from 'node:path';

/** True when `child` lies strictly inside `parent` (both resolved, no symlink interpretation). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
