import { useId } from 'react';
import { Table } from './Table.tsx';

export interface Bar {
  label: string;
  value: number;
  /** How the value is said: "18 of 20 seats (90%)". */
  valueText: string;
}

const BAR = 16;

/**
 * A horizontal bar chart: each row is a label and its value, in HTML so that a long label wraps on a phone
 * rather than being cut off, over a bar in SVG. Lengths are percentages of the chart's width. Screen readers
 * get `summary` as the image's name and the numbers in a table under "Show the data".
 */
export function BarChart({
  title,
  summary,
  bars,
  max,
  labelHeading = 'Name',
  valueHeading = 'Value',
}: {
  title: string;
  /** One sentence saying what the chart shows, read as the image's name. */
  summary: string;
  bars: readonly Bar[];
  /** The value of a full-width bar; the largest value when left out. */
  max?: number;
  labelHeading?: string;
  valueHeading?: string;
}) {
  const id = useId();
  const scale = max ?? Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <figure className="bar-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div className="chart" role="img" aria-label={summary}>
        {bars.map((bar, index) => {
          const share = Math.min(1, Math.max(0, bar.value / scale));
          return (
            <div key={`${index}-${bar.label}`}>
              <span className="chart-label">{bar.label}</span>{' '}
              <span className="chart-value">{bar.valueText}</span>
              <svg width="100%" height={BAR} focusable="false" aria-hidden="true">
                <rect x="0" y="0" width="100%" height={BAR} className="chart-track" rx="3" />
                <rect x="0" y="0" width={`${share * 100}%`} height={BAR} className="chart-bar" rx="3" />
              </svg>
            </div>
          );
        })}
      </div>
      <details>
        <summary>
          Show the data<span className="visually-hidden"> of {title}</span>
        </summary>
        <Table caption={title} columns={[labelHeading, valueHeading]}>
          {bars.map((bar, index) => (
            <tr key={`${index}-${bar.label}`}>
              <th scope="row">{bar.label}</th>
              <td>{bar.valueText}</td>
            </tr>
          ))}
        </Table>
      </details>
    </figure>
  );
}
