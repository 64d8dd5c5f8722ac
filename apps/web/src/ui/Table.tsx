import { useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';

/**
 * A data table with a caption for screen readers and one column heading each; `children` are its body's rows
 * (a row's first cell a `<th scope="row">`).
 *
 * On a phone (styles.css, below 600 px) each row becomes a stacked block, each cell labelled with its column's
 * heading (`data-label`, set here from `columns` on whatever cells the rows render), so that nothing is cut off
 * at the right. Wider, a table too wide for its space scrolls sideways instead of widening the page, and that
 * scrolling region is then a named tab stop, so that a keyboard can scroll it too.
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
  const scroller = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const scrolls = useScrolls(scroller);
  useLayoutEffect(() => {
    const tbody = body.current!;
    const label = () => {
      for (const row of tbody.rows) {
        let column = 0;
        // Explicit roles: a phone's stacked rows (CSS display: block) would otherwise lose the table's
        // semantics in Chromium, and a screen reader its rows and cells.
        if (!row.getAttribute('role')) row.setAttribute('role', 'row');
        for (const cell of row.cells) {
          if (!cell.getAttribute('role'))
            cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
          // A cell spanning the whole row ("No payments match") has no one heading.
          const heading = cell.colSpan < columns.length ? columns[column] : undefined;
          if (heading && cell.dataset.label !== heading) cell.dataset.label = heading;
          column += cell.colSpan;
        }
      }
    };
    label();
    // Rows are the callers' components, which may add cells without this table rendering again.
    const observer = new MutationObserver(label);
    observer.observe(tbody, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [columns]);
  return (
    <div
      ref={scroller}
      className="table-scroll"
      {...(scrolls && { tabIndex: 0, role: 'region', 'aria-label': `${caption} (scrolls sideways)` })}
    >
      <table role="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => (
              <th key={column} scope="col" role="columnheader">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={body} role="rowgroup">
          {children}
        </tbody>
      </table>
    </div>
  );
}

/** Whether the element's content is wider than it, kept up to date as either changes size. */
function useScrolls(ref: RefObject<HTMLElement | null>) {
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current!;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, [ref]);
  return scrolls;
}
