/**
 * Turn a JSON pointer from the schema validator (`/plugin/id`, `/settings/a.b/type`) into the
 * TOML key path a plugin author recognises (`plugin.id`, `settings."a.b".type`). Array indexes
 * become `[n]`. Returns the readable path and its segments.
 */
export function pointerToKeyPath(pointer: string): { readonly path: string; readonly segments: string[] } {
  const segments =
    pointer === '' || pointer === '/'
      ? []
      : pointer
          .split('/')
          .slice(1)
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  for (const seg of segments) {
    if (/^\d+$/.test(seg)) path += `[${seg}]`;
    else path += (path === '' ? '' : '.') + (/^[A-Za-z0-9_-]+$/.test(seg) ? seg : JSON.stringify(seg));
  }
  return { path: path === '' ? '(document)' : path, segments: segments.filter((s) => !/^\d+$/.test(s)) };
}
