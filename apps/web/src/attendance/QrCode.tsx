import { create } from 'qrcode';

/** The quiet zone the QR standard asks for around the code, in modules. */
const QUIET = 4;

/**
 * An SVG path of a QR code's dark modules on a grid of 1-unit cells, offset by the quiet zone: one rectangle
 * per run of dark modules in a row (`M4 4h7v1h-7z`). Drawn by React, so no markup string and no data URL.
 */
export function qrPath(text: string): { path: string; size: number } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const runs: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size;) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < modules.size && modules.get(row, column)) column++;
      const length = column - start;
      runs.push(`M${start + QUIET} ${row + QUIET}h${length}v1h-${length}z`);
    }
  }
  return { path: runs.join(''), size: modules.size + 2 * QUIET };
}

/** A QR code of `text`, scaled to its box; `label` names it for screen readers. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { path, size } = qrPath(text);
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges"
      focusable="false"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
