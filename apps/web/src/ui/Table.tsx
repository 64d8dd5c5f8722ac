import type { ReactNode } from 'react';

/**
 * A data table that scrolls sideways on a phone instead of widening the page, with a caption for screen
 * readers and one column heading each; `children` are its body's rows (a row's first cell a `<th scope="row">`).
 */
export function Table({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: readonly string[];
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
