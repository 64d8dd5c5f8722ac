import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { formatDateTime, labelOf } from '../lib/format.ts';
import { idParam, useActivityOptions, useSearchParams } from '../lib/queries.ts';
import {
  EXPORT_FILTERS,
  EXPORT_FORMATS,
  EXPORT_REPORTS,
  exportPath,
  exportRequestSchema,
  fieldErrorsOf,
  GRADES,
  PAYMENT_STATUSES,
  type ExportFormat,
  type ExportReport,
  type RouterOutputs,
} from '../lib/shared.ts';
import { isAdmin, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { Pager } from '../ui/Pager.tsx';
import { Table } from '../ui/Table.tsx';
import { QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

const PAGE_SIZE = 25;

const REPORT_LABELS: Record<ExportReport, string> = {
  rosters: 'Rosters (enrolled, then the waitlist in order)',
  payments: 'Payments, with totals per status',
  'no-activity': 'Students signed up for nothing',
  'fill-rates': 'Fill rate of each activity',
  attendance: 'Attendance at each meeting',
};

/** Reports for teachers and admins: exports of every report, a roster's history, and (admins) the audit trail. */
export default function ReportsPage() {
  const user = useUser();
  return (
    <>
      <PageHeading>Reports</PageHeading>
      <Exports />
      <RosterHistory />
      {isAdmin(user) && <AuditTrail />}
    </>
  );
}

/** Pick a report and its filters; the download is the API's streamed export of exactly that. */
function Exports() {
  const [report, setReport] = useState<ExportReport>('rosters');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const activityOptions = useActivityOptions('Every activity');
  const allowed: readonly string[] = EXPORT_FILTERS[report];
  const chosen = Object.fromEntries(
    Object.entries(filters).filter(([key, value]) => value !== '' && allowed.includes(key)),
  );
  // The same schema the API validates the download with: a link that would be refused is not offered.
  const parsed = exportRequestSchema.safeParse({ report, ...chosen });
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error.issues);
  const field = (name: string, label: string, input: ReactNode) =>
    allowed.includes(name) && (
      <div className="field">
        <label htmlFor={`export-${name}`}>{label}</label>
        {input}
        {errors[name] && (
          <p className="field-error" id={`export-${name}-error`}>
            {errors[name].join(', ')}
          </p>
        )}
      </div>
    );
  const bind = (name: string) => ({
    id: `export-${name}`,
    value: filters[name] ?? '',
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `export-${name}-error` : undefined,
    onChange: (event: { target: { value: string } }) =>
      setFilters((current) => ({ ...current, [name]: event.target.value })),
  });
  const link = (format: ExportFormat) =>
    parsed.success ? (
      <a className="button" href={exportPath(report, format, chosen)} download>
        Download {format.toUpperCase()}
      </a>
    ) : null;
  return (
    <section className="card" aria-labelledby="exports-heading">
      <h2 id="exports-heading">Exports</h2>
      <p className="muted">
        Every row, not one page: spreadsheets open them as they are (CSV in UTF-8, XLSX with real dates).
      </p>
      <form className="filters" aria-label="Export" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="export-report">Report</label>
          <select
            id="export-report"
            value={report}
            onChange={(event) => setReport(event.target.value as ExportReport)}
          >
            {EXPORT_REPORTS.map((name) => (
              <option key={name} value={name}>
                {REPORT_LABELS[name]}
              </option>
            ))}
          </select>
        </div>
        {field(
          'activityId',
          'Activity',
          <select {...bind('activityId')}>
            {activityOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>,
        )}
        {field(
          'status',
          'Status',
          <select {...bind('status')}>
            <option value="">Any status</option>
            {PAYMENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {labelOf(status)}
              </option>
            ))}
          </select>,
        )}
        {field('from', 'From (day)', <input type="date" {...bind('from')} />)}
        {field('to', 'To (day)', <input type="date" {...bind('to')} />)}
        {field(
          'grade',
          'Grade',
          <select {...bind('grade')}>
            <option value="">Any grade</option>
            {GRADES.map((grade) => (
              <option key={grade} value={grade}>
                Grade {grade}
              </option>
            ))}
          </select>,
        )}
        {field('category', 'Category', <input type="text" maxLength={60} {...bind('category')} />)}
      </form>
      <p className="actions">
        {EXPORT_FORMATS.map((format) => (
          <span key={format}>{link(format)}</span>
        ))}
      </p>
    </section>
  );
}

type RosterEvent = RouterOutputs['audit']['rosterHistory']['items'][number];

const rosterChange = (event: RosterEvent) =>
  event.change === 'added'
    ? `${event.status === 'waitlisted' ? 'Joined the waitlist' : 'Enrolled'}`
    : event.change === 'removed'
      ? 'Left the roster'
      : `${labelOf(event.previousStatus ?? '')} → ${labelOf(event.status ?? '')}`;

const byWhom = (event: RosterEvent) =>
  event.bySelf
    ? 'the student'
    : event.actorKind === 'import'
      ? `an import${event.actorName ? ` by ${event.actorName}` : ''}`
      : (event.actorName ?? labelOf(event.actorKind));

/** Who joined and left one activity's roster, by whom, newest first. */
function RosterHistory() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const activityId = idParam(params.get('rosterOf'));
  const page = idParam(params.get('rosterPage')) ?? 1;
  const activityOptions = useActivityOptions('Choose an activity');
  const history = useQuery({
    ...trpc.audit.rosterHistory.queryOptions({ activityId: activityId ?? 0, page, pageSize: PAGE_SIZE }),
    enabled: activityId !== undefined,
    placeholderData: keepPreviousData,
  });
  return (
    <section className="card" aria-labelledby="roster-history-heading">
      <h2 id="roster-history-heading">Roster history</h2>
      <div className="field">
        <label htmlFor="roster-history-activity">Activity</label>
        <select
          id="roster-history-activity"
          value={activityId ?? ''}
          onChange={(event) =>
            setParams({ rosterOf: event.target.value || undefined, rosterPage: undefined })
          }
        >
          {activityOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {activityId !== undefined && (
        <QueryView
          query={history}
          what="the roster's history"
          isEmpty={(data) => data.items.length === 0}
          empty="Nobody has joined or left this activity yet."
        >
          {(data) => (
            <>
              <Table caption="Roster changes, newest first" columns={['When', 'Student', 'Change', 'By']}>
                {data.items.map((event) => (
                  <tr key={event.id}>
                    <th scope="row">{formatDateTime(event.at)}</th>
                    <td>{event.studentName ?? 'A deleted student'}</td>
                    <td>{rosterChange(event)}</td>
                    <td>{byWhom(event)}</td>
                  </tr>
                ))}
              </Table>
              <Pager
                page={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                onPage={(next) => setParams({ rosterPage: next > 1 ? String(next) : undefined })}
                what="roster changes"
              />
            </>
          )}
        </QueryView>
      )}
    </section>
  );
}

type AuditEntry = RouterOutputs['audit']['list']['items'][number];

/** The fields a change touched, with their values after it (before it, for a delete). */
function changedFields(entry: AuditEntry): string {
  const values = entry.action === 'delete' ? entry.before : entry.after;
  return Object.entries(values ?? {})
    .filter(([key]) => entry.action !== 'update' || key in (entry.before ?? {}))
    .map(([key, value]) => `${key}: ${value === null ? '–' : String(value)}`)
    .join('; ');
}

/** Every change to the school's data, newest first, by table, activity and day (admins). */
function AuditTrail() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const tableName = params.get('table') || undefined;
  const activityId = idParam(params.get('auditActivity'));
  const page = idParam(params.get('auditPage')) ?? 1;
  const activityOptions = useActivityOptions('Every activity');
  const entries = useQuery({
    ...trpc.audit.list.queryOptions({ tableName, activityId, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const set = (changes: Record<string, string | undefined>) =>
    setParams({ ...changes, auditPage: undefined });
  return (
    <section className="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit trail</h2>
      <form
        className="filters"
        role="search"
        aria-label="Filter the audit trail"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor="audit-table">Table</label>
          <select
            id="audit-table"
            value={tableName ?? ''}
            onChange={(e) => set({ table: e.target.value || undefined })}
          >
            <option value="">Every table</option>
            {AUDITED_TABLES.map((table) => (
              <option key={table} value={table}>
                {labelOf(table)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-activity">Activity</label>
          <select
            id="audit-activity"
            value={activityId ?? ''}
            onChange={(e) => set({ auditActivity: e.target.value || undefined })}
          >
            {activityOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </form>
      <QueryView
        query={entries}
        what="the audit trail"
        isEmpty={(data) => data.items.length === 0}
        empty="No change matches these filters."
      >
        {(data) => (
          <>
            <Table caption="Changes, newest first" columns={['When', 'Who', 'What', 'Fields']}>
              {data.items.map((entry) => (
                <tr key={entry.id}>
                  <th scope="row">{formatDateTime(entry.at)}</th>
                  <td>
                    {entry.actorName ?? labelOf(entry.actorKind)}
                    {entry.actorName && <span className="muted"> ({entry.actorKind})</span>}
                  </td>
                  <td>
                    {labelOf(entry.tableName)} {entry.rowId ?? ''} {ACTION_WORDS[entry.action]}
                  </td>
                  <td>{changedFields(entry)}</td>
                </tr>
              ))}
            </Table>
            <Pager
              page={page}
              pageSize={PAGE_SIZE}
              total={data.total}
              onPage={(next) => setParams({ auditPage: next > 1 ? String(next) : undefined })}
              what="changes"
            />
          </>
        )}
      </QueryView>
    </section>
  );
}

const ACTION_WORDS = { insert: 'added', update: 'changed', delete: 'deleted' } as const;

/** The tables the audit trail records (README: Audit trail), for the filter. */
const AUDITED_TABLES = [
  'activity',
  'activity_participant',
  'activity_group',
  'attendance',
  'committee',
  'event',
  'event_judge',
  'event_result',
  'feedback',
  'group_member',
  'meeting',
  'news',
  'payment',
  'position',
  'school_closure',
  'student',
  'teacher',
];
