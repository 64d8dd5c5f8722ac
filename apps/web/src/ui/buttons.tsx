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
 * An action that cannot be taken back, asked twice: one that deletes, gives away a seat, changes money or
 * changes a role. The first press shows the question with its consequence in words and offers "Yes, withdraw"
 * (focused) and Cancel right where the button was; Escape cancels too. No browser dialog, and no undo: the
 * effects are immediate (a freed seat goes to the next student on the waitlist at once), so an undo would not
 * be honest.
 */
export function ConfirmButton({
  label,
  target,
  question,
  consequence,
  onConfirm,
  disabled,
  className = 'danger',
}: {
  label: string;
  target: string;
  /** "Delete Chess Club and its signups?" */
  question: string;
  /** What happens then, in words: "Your seat goes to the next student on the waitlist." */
  consequence?: string;
  onConfirm: () => void;
  disabled?: boolean;
  /** The look of the first button; the "Yes" button keeps it. */
  className?: string;
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
  // Back to the button if it is still there (cancelled, the action failed, or did not remove its row).
  const close = () => {
    returnFocus.current = true;
    setAsking(false);
  };

  if (!asking)
    return (
      <button
        ref={button}
        type="button"
        className={className}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
        <span className="visually-hidden"> {target}</span>
      </button>
    );
  return (
    <span
      role="group"
      aria-label={question}
      className="confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          close();
        }
      }}
    >
      <span>
        {question}
        {consequence && <> {consequence}</>}
      </span>{' '}
      <button
        type="button"
        className={className}
        autoFocus
        onClick={() => {
          close();
          onConfirm();
        }}
      >
        Yes, {label.charAt(0).toLowerCase() + label.slice(1)}
        <span className="visually-hidden"> {target}</span>
      </button>{' '}
      <button type="button" className="secondary" onClick={close}>
        Cancel
      </button>
    </span>
  );
}
