import type { UiEvent } from '@plugin-interfaces/spec';
import { createContext, useContext } from 'react';

/** How widgets deliver a UI event, and how long text edits wait while the user types. */
export interface UiSendContext {
  readonly send: (event: UiEvent) => void;
  readonly debounceMs: number;
}

export const SendContext = createContext<UiSendContext>({ send: () => undefined, debounceMs: 300 });

/** The send function and debounce of the enclosing PluginUi. */
export function useUiSend(): UiSendContext {
  return useContext(SendContext);
}
