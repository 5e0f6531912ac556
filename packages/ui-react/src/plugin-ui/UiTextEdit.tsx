import type { UiNode } from '@plugin-interfaces/spec';
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useUiSend } from './send-context.js';
import { VisibleLabel } from './VisibleLabel.js';

type TextEditNode = Extract<UiNode, { type: 'text_edit' }>;

/**
 * A text edit that keeps what the user typed: a new frame never overwrites a focused field. The
 * text is sent on Enter (Ctrl/Cmd+Enter when multiline), on blur, and after a pause in typing.
 */
export function UiTextEdit({ node }: { readonly node: TextEditNode }): ReactNode {
  const { send, debounceMs } = useUiSend();
  const id = useId();
  const [draft, setDraft] = useState(node.value);
  const draftRef = useRef(node.value);
  const sentRef = useRef(node.value);
  const focusedRef = useRef(false);
  const timerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (focusedRef.current) return;
    draftRef.current = node.value;
    sentRef.current = node.value;
    setDraft(node.value);
  }, [node.value]);

  useEffect(() => () => clearTimeout(timerRef.current), []);

  const flush = (): void => {
    clearTimeout(timerRef.current);
    timerRef.current = undefined;
    if (draftRef.current === sentRef.current) return;
    sentRef.current = draftRef.current;
    send({ widget_id: node.id, kind: 'text', value: draftRef.current });
  };

  const onChange = (value: string): void => {
    draftRef.current = value;
    setDraft(value);
    clearTimeout(timerRef.current);
    timerRef.current = setTimeout(flush, debounceMs);
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    if (node.multiline && !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    flush();
  };

  const common = {
    id,
    className: 'pi-text-edit',
    'data-widget-id': node.id,
    value: draft,
    disabled: !node.enabled,
    onFocus: () => {
      focusedRef.current = true;
    },
    onBlur: () => {
      focusedRef.current = false;
      flush();
    },
    onKeyDown,
  };
  const control = node.multiline ? (
    <textarea {...common} rows={4} onChange={(e) => onChange(e.target.value)} />
  ) : (
    <input
      {...common}
      type={node.password ? 'password' : 'text'}
      onChange={(e) => onChange(e.target.value)}
    />
  );
  return (
    <VisibleLabel htmlFor={id} text={node.hint || node.id}>
      {control}
    </VisibleLabel>
  );
}
