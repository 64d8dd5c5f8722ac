// What the old app's API tests share: its sample data loaded as the importer loads it, and a client that
// speaks to the endpoints as the old pages did (query parameters, JSON answers).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyImport, importDatasetSchema, type MikroORM } from '@mergington/db';

/** The old app's own files, copied into the repository (apps/cli/test/fixtures/legacy). */
export function oldActivities(version: 'mergington-v1' | 'mergington-v3'): Record<string, OldActivity> {
  const file = new URL(`../../../cli/test/fixtures/legacy/${version}/activities.json`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(file), 'utf8')) as Record<string, OldActivity>;
}

export interface OldActivity {
  description: string;
  schedule: string;
  schedule_details?: { days: string[]; start_time: string; end_time: string };
  max_participants: number;
  participants: string[];
}

/** Loads the old app's activities file through the importer's own operation, as `mergington import` does. */
export async function importOldActivities(orm: MikroORM, version: 'mergington-v1' | 'mergington-v3') {
  const dataset = importDatasetSchema.parse({
    activities: Object.entries(oldActivities(version)).map(([name, activity]) => ({
      name,
      description: activity.description,
      schedule: activity.schedule,
      maxParticipants: activity.max_participants,
      participants: activity.participants.map((email) => ({ email })),
    })),
  });
  await applyImport(orm.em.fork(), [dataset], { overflow: 'enroll', dryRun: false });
}

export interface OldAnswer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the old app's JSON, as its pages read it
}

/** A request as the old pages made them: the parameters in the query string, no body. */
export async function oldCall(
  origin: string,
  method: string,
  path: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<OldAnswer> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${origin}${path}${search ? `?${search}` : ''}`, {
    method,
    headers,
    redirect: 'manual',
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the body as text
  }
  return { status: response.status, headers: response.headers, body };
}

/** `/activities/{name}/...` with the name escaped as the old pages escaped it (encodeURIComponent). */
export const activityPath = (name: string, action: 'signup' | 'unregister') =>
  `/activities/${encodeURIComponent(name)}/${action}`;
