/** The bridge token from the page URL (`?token=`), or null when the URL has none. */
export function tokenFromUrl(href: string): string | null {
  const token = new URL(href).searchParams.get('token');
  return token === null || token === '' ? null : token;
}

/** The bridge endpoint of the server that served this page. */
export function bridgeEndpoint(href: string): string {
  const u = new URL(href);
  return `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}/bridge`;
}
