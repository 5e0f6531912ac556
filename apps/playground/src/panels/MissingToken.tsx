import type { ReactNode } from 'react';

/** Shown when the page was opened without the bridge token. */
export function MissingToken(): ReactNode {
  return (
    <main className="pg-missing">
      <h1>Plugin playground</h1>
      <p role="alert">
        This page needs the bridge token. Open the URL the playground server printed, which looks like{' '}
        <code>http://127.0.0.1:5173/?token=…</code>.
      </p>
    </main>
  );
}
