import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { qrPath, QrCode } from './QrCode.tsx';

const LINK = 'https://school.example/check-in/7?code=123456';

describe('a QR code', () => {
  it('draws the modules of the link with a quiet zone of 4 around them', () => {
    const { path, size } = qrPath(LINK);
    // 45 characters at level M: version 4, 33 modules a side.
    expect(size).toBe(33 + 8);
    // The top-left finder pattern: its 7-module top and bottom rows, its ring's sides with light inside.
    expect(path).toMatch(/^M4 4h7v1h-7z/);
    expect(path).toContain('M4 10h7v1h-7z');
    expect(path).toContain('M4 5h1v1h-1zM10 5h1v1h-1z');
    // Nothing is drawn in the quiet zone.
    expect(path).not.toMatch(/M[0-3] |M\d+ [0-3]h/);
  });

  it('differs for another code', () => {
    expect(qrPath(LINK).path).not.toBe(qrPath(LINK.replace('123456', '654321')).path);
  });

  it('is an image named for screen readers', () => {
    const html = renderToStaticMarkup(<QrCode text={LINK} label="QR code of the check-in link" />);
    expect(html).toMatch(
      /^<svg[^>]* role="img" aria-label="QR code of the check-in link" viewBox="0 0 41 41"/,
    );
  });
});
