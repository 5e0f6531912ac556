import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/playground */
export const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const REPO_ROOT = resolve(APP_DIR, '..', '..');
/** Where the example plugins are built. */
export const BUILT_PLUGINS_DIR = join(APP_DIR, '.plugins');
/** The user's own plugin folders. */
export const USER_PLUGINS_DIR = join(REPO_ROOT, 'plugins');
/** The production build of the page. */
export const DIST_DIR = join(APP_DIR, 'dist');
