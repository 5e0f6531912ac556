import { useState } from 'react';

/**
 * Local state that follows a prop: the user may change it (optimistic UI), and whenever the prop
 * itself changes the prop wins again. Used for widgets whose value the host echoes back.
 */
export function useSyncedState<T>(prop: T): [T, (value: T) => void] {
  const [state, setState] = useState({ prop, value: prop });
  if (!Object.is(state.prop, prop)) {
    setState({ prop, value: prop });
    return [prop, (value) => setState({ prop, value })];
  }
  return [state.value, (value) => setState({ prop, value })];
}
