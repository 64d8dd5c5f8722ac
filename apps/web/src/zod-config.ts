// Imported first by main.tsx, before any module builds a schema: zod probes for `new Function` as each object
// schema is built, and the API's Content-Security-Policy forbids eval, so the probe would be a violation in
// the console. Its interpreted parsing is plenty fast for forms.
import { z } from 'zod';

z.config({ jitless: true });
