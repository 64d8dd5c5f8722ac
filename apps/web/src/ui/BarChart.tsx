import { useId } from 'react';
import { Table } from './Table.tsx';

export interface Bar {
  label: string;
  value: number;
  /** How the value is said: "18 of 20 seats (90%)". */
  valueText: string;
}

const ROW = 44;
const BAR = 16;

/**
 * A horizontal bar chart in plain SVG: each row is a label and its value over a bar. Lengths are
 * percentages of the chart's width, so text keeps its size on a phone. Screen readers get `summary` as the
 * image's name and the numbers in a table under "Show the data".
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
      <svg
        className="chart"
        role="img"
        aria-label={summary}
        width="100%"
        height={bars.length * ROW + 4}
        focusable="false"
      >
        {bars.map((bar, index) => {
          const share = Math.min(1, Math.max(0, bar.value / scale));
          const top = index * ROW;
          return (
            <g key={`${index}-${bar.label}`}>
              <text x="0" y={top + 14}>
                <tspan className="chart-label">{bar.label}</tspan>
                <tspan className="chart-value" dx="8">
                  {bar.valueText}
                </tspan>
              </text>
              <rect x="0" y={top + 20} width="100%" height={BAR} className="chart-track" rx="3" />
              <rect x="0" y={top + 20} width={`${share * 100}%`} height={BAR} className="chart-bar" rx="3" />
            </g>
          );
        })}
      </svg>
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
