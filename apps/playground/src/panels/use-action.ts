import { userMessage } from '@plugin-interfaces/ui-react';
import { useCallback, useState } from 'react';

/** Run one async action at a time and keep its last error, in the page's terms, for display. */
export function useAction(): {
  busy: boolean;
  error: string | null;
  run: (action: () => Promise<unknown>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
