import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Test helper: the text of a minimal valid config.toml, with extra `[plugin]` lines and tables. */
export function configText(id: string, pluginLines = '', tables = ''): string {
  return `[plugin]\nid = "${id}"\nname = "${id} plugin"\nversion = "1.0.0"\ndescription = "test"\n${pluginLines}\n${tables}`;
}

/** Test helper: write a plugin folder with a config and files (relative path → contents). */
export async function writePluginDir(
  dir: string,
  config: string,
  files: Readonly<Record<string, string | Uint8Array>> = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.toml'), config);
  for (const [rel, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), bytes);
  }
  return dir;
}
