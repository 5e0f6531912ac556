import { type FormEvent, type KeyboardEvent, type ReactNode, useId, useState } from 'react';

/** Props of {@link SendBox}. */
export interface SendBoxProps {
  readonly onSend: (text: string) => void;
  readonly disabled?: boolean;
  readonly label?: string;
}

/** A labelled message box: Enter sends, Shift+Enter starts a new line. Blank text is not sent. */
export function SendBox({ onSend, disabled = false, label = 'Message' }: SendBoxProps): ReactNode {
  const [text, setText] = useState('');
  const id = useId();
  const submit = (): void => {
    if (disabled || text.trim() === '') return;
    onSend(text);
    setText('');
  };
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    submit();
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  return (
    <form className="pi-send-box" onSubmit={onSubmit}>
      <label htmlFor={id} className="pi-visually-hidden">
        {label}
      </label>
      <textarea
        id={id}
        rows={2}
        value={text}
        placeholder={`${label}…`}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button
        type="submit"
        className="pi-button"
        data-variant="primary"
        disabled={disabled || text.trim() === ''}
      >
        Send
      </button>
    </form>
  );
}
