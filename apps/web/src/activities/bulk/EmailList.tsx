import { useId, useState } from 'react';
import { BULK_LIMIT, parseEmailList } from '../../lib/shared.ts';

/**
 * The emails to add: pasted (one a line, or a spreadsheet's column with its other columns) or read from a
 * CSV or text file in the browser. Says how many addresses it found, as the preview will take them.
 */
export function EmailList({ text, onText }: { text: string; onText: (text: string) => void }) {
  const id = useId();
  const [fileError, setFileError] = useState<string | null>(null);
  const found = parseEmailList(text).length;
  const readFile = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (file.size > 1_000_000) {
      setFileError(`${file.name} is larger than 1 MB: is it the right file?`);
      return;
    }
    const content = await file.text();
    onText(text.trim() ? `${text.trim()}\n${content}` : content);
  };
  return (
    <div className="grid-form">
      <div className="field wide">
        <label htmlFor={`${id}-emails`}>Students' school emails</label>
        <textarea
          id={`${id}-emails`}
          rows={8}
          value={text}
          aria-describedby={`${id}-found`}
          onChange={(event) => onText(event.target.value)}
        />
        <small id={`${id}-found`} className="hint">
          One a line, or pasted from a spreadsheet: anything that is not an address is left out.{' '}
          {found === 0
            ? 'No address found yet.'
            : `${found} ${found === 1 ? 'address' : 'addresses'} found` +
              (found > BULK_LIMIT ? `: at most ${BULK_LIMIT} at once.` : '.')}
        </small>
      </div>
      <div className="field wide">
        <label htmlFor={`${id}-file`}>Or read a CSV or text file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          onChange={(event) => void readFile(event.target.files?.[0])}
        />
        {fileError && (
          <small role="alert" className="field-error">
            {fileError}
          </small>
        )}
      </div>
    </div>
  );
}
