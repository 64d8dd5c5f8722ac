import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A button that says what it acts on: "Delete" is shown, "Delete Chess Club" is read out, so that a list of
 * twenty Delete buttons is not twenty identical ones for a screen reader.
 */
export function ActionButton({
  label,
  target,
  onClick,
  className = 'secondary',
  disabled,
}: {
  label: ReactNode;
  /** What it acts on, read out after the label. */
  target: string;
  onClick: () => void;
  className?: string;
  disabled?: boolean;
}) {
  return (
    <button type="button" className={className} disabled={disabled} onClick={onClick}>
      {label}
      <span className="visually-hidden"> {target}</span>
    </button>
  );
}

/**
 * A destructive action asked twice: the first press offers "Yes, delete Chess Club" (focused) and Cancel,
 * right where the button was; no browser dialog.
 */
export function ConfirmButton({
  label,
  target,
  question,
  onConfirm,
  disabled,
}: {
  label: string;
  target: string;
  /** "Delete Chess Club and its signups?" */
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (!asking && returnFocus.current) {
      returnFocus.current = false;
      button.current?.focus();
    }
  }, [asking]);

  if (!asking)
    return (
      <button
        ref={button}
        type="button"
        className="danger"
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
        <span className="visually-hidden"> {target}</span>
      </button>
    );
  return (
    <span role="group" aria-label={question} className="confirm">
      <span>{question}</span>{' '}
      <button
        type="button"
        className="danger"
        autoFocus
        onClick={() => {
          // Back to the button if it is still there (the action failed, or did not remove its row).
          returnFocus.current = true;
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
        <span className="visually-hidden"> {target}</span>
      </button>{' '}
      <button
        type="button"
        className="secondary"
        onClick={() => {
          returnFocus.current = true;
          setAsking(false);
        }}
      >
        Cancel
      </button>
    </span>
  );
}
