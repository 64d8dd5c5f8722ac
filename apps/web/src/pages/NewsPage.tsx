import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { formatDateTime, labelOf } from '../lib/format.ts';
import { idParam, useInvalidate, useSearchParams } from '../lib/queries.ts';
import { NEWS_CATEGORIES, newsCreateInput, newsUpdateInput, type RouterOutputs } from '../lib/shared.ts';
import { isTeacher, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton, ConfirmButton } from '../ui/buttons.tsx';
import {
  checked,
  FormFooter,
  thenReset,
  number,
  SelectField,
  text,
  TextAreaField,
  TextField,
  useZodForm,
} from '../ui/form.tsx';
import { Pager } from '../ui/Pager.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

type News = RouterOutputs['news']['list']['items'][number];
type Category = (typeof NEWS_CATEGORIES)[number];

const PAGE_SIZE = 20;
const CATEGORY_OPTIONS = NEWS_CATEGORIES.map((category) => ({ value: category, label: labelOf(category) }));

/** School news, pinned first; a category filter in the URL; teachers post, edit, pin and delete. */
export default function NewsPage() {
  const trpc = useTRPC();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const category = NEWS_CATEGORIES.find((c) => c === params.get('category'));
  const page = idParam(params.get('page')) ?? 1;
  const news = useQuery({
    ...trpc.news.list.queryOptions({ category, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeading>News</PageHeading>
      <form className="filters" role="search" aria-label="Filter news" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="news-category">Filter by category</label>
          <select
            id="news-category"
            value={category ?? ''}
            onChange={(event) => setParams({ category: event.target.value, page: undefined })}
          >
            <option value="">All categories</option>
            {CATEGORY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </form>
      {isTeacher(user) && (
        <details className="card">
          <summary>Write a news item</summary>
          <NewsForm category={category} />
        </details>
      )}
      <QueryView
        query={news}
        what="news"
        isEmpty={(data) => data.items.length === 0}
        empty={category ? `No ${labelOf(category).toLowerCase()} news.` : 'No news yet.'}
      >
        {(data) => (
          <>
            <ul className="list" aria-label="News">
              {data.items.map((item) => (
                <NewsItem key={item.id} item={item} canEdit={isTeacher(user)} />
              ))}
            </ul>
            <Pager
              page={page}
              pageSize={PAGE_SIZE}
              total={data.total}
              onPage={(next) => setParams({ page: next > 1 ? String(next) : undefined })}
              what="news"
            />
          </>
        )}
      </QueryView>
    </>
  );
}

/** One news item, which teachers edit, pin, unpin or delete; `level` 3 puts its title under a section's `h2`. */
export function NewsItem({ item, canEdit, level = 2 }: { item: News; canEdit: boolean; level?: 2 | 3 }) {
  const trpc = useTRPC();
  const Title = level === 2 ? 'h2' : 'h3';
  const invalidate = useInvalidate();
  const update = useMutation(trpc.news.update.mutationOptions({ onSettled: () => invalidate(trpc.news) }));
  const remove = useMutation(trpc.news.delete.mutationOptions({ onSettled: () => invalidate(trpc.news) }));
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  return (
    <li className="card">
      <Title>
        {item.pinned && <span className="tag">Pinned</span>} {item.title}
      </Title>
      <p className="muted">
        {labelOf(item.category)} · {formatDateTime(item.createdAt)}
        {item.author && ` · ${item.author.name}`}
        {item.activity && (
          <>
            {' · '}
            <Link href={`/activities/${item.activity.id}`}>{item.activity.name}</Link>
          </>
        )}
      </p>
      <p className="pre-line">{item.content}</p>
      {saved !== null && <Notice key={saved}>Saved: {item.title}.</Notice>}
      {canEdit && editing && (
        <EditNewsForm
          item={item}
          onSaved={() => {
            setEditing(false);
            setSaved(Date.now());
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {canEdit && !editing && (
        <>
          <div className="actions">
            <ActionButton
              label="Edit"
              target={item.title}
              onClick={() => {
                setSaved(null);
                setEditing(true);
              }}
            />
            <ActionButton
              label={item.pinned ? 'Unpin' : 'Pin'}
              target={item.title}
              disabled={update.isPending}
              onClick={() => update.mutate({ id: item.id, version: item.version, pinned: !item.pinned })}
            />
            <ConfirmButton
              label="Delete"
              target={item.title}
              question={`Delete the news "${item.title}"?`}
              disabled={remove.isPending}
              onConfirm={() => remove.mutate({ id: item.id })}
            />
          </div>
          <ErrorText error={update.error ?? remove.error} />
        </>
      )}
    </li>
  );
}

/** The title and text of a news item, edited by whoever may post news; an edit by someone else meanwhile is refused. */
function EditNewsForm({
  item,
  onSaved,
  onCancel,
}: {
  item: News;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const update = useMutation(trpc.news.update.mutationOptions({ onSettled: () => invalidate(trpc.news) }));
  const form = useZodForm(newsUpdateInput, async (input) => {
    await update.mutateAsync(input);
    onSaved();
  });
  return (
    <form
      noValidate
      className="grid-form"
      aria-label={`Edit ${item.title}`}
      onSubmit={form.onSubmit((data) => ({
        id: item.id,
        version: item.version,
        title: text(data, 'title') ?? '',
        content: text(data, 'content') ?? '',
      }))}
    >
      <div className="wide">
        <TextField
          form={form}
          name="title"
          label="Title"
          maxLength={200}
          defaultValue={item.title}
          required
          autoFocus
        />
      </div>
      <div className="wide">
        <TextAreaField
          form={form}
          name="content"
          label="Text"
          rows={6}
          maxLength={20000}
          defaultValue={item.content}
          required
        />
      </div>
      <div className="form-footer wide">
        <FormFooter form={form} label="Save changes" />
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A new news item: school-wide or about an activity, chosen here unless the form is for one `activity`. */
export function NewsForm({
  category,
  activity,
}: {
  category?: Category;
  activity?: { id: number; name: string };
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const activities = useQuery({
    ...trpc.activities.list.queryOptions({ pageSize: 500 }),
    enabled: !activity,
  });
  const create = useMutation(trpc.news.create.mutationOptions({ onSettled: () => invalidate(trpc.news) }));
  const form = useZodForm(newsCreateInput, thenReset(create.mutateAsync));
  const activityOptions = [
    { value: '', label: activities.isPending ? 'Loading activities…' : 'None: school-wide' },
    ...(activities.data?.items ?? []).map((activity) => ({
      value: String(activity.id),
      label: activity.name,
    })),
  ];
  return (
    <form
      noValidate
      className="grid-form"
      onSubmit={form.onSubmit((data) => ({
        title: text(data, 'title') ?? '',
        content: text(data, 'content') ?? '',
        category: text(data, 'category'),
        activityId: activity ? activity.id : number(data, 'activityId', null),
        pinned: checked(data, 'pinned'),
      }))}
    >
      <div className="wide">
        <TextField form={form} name="title" label="Title" maxLength={200} required />
      </div>
      <div className="wide">
        <TextAreaField form={form} name="content" label="Text" rows={6} maxLength={20000} required />
      </div>
      <SelectField
        form={form}
        name="category"
        label="Category"
        options={CATEGORY_OPTIONS}
        defaultValue={category ?? 'general'}
      />
      {!activity && (
        <SelectField form={form} name="activityId" label="About the activity" options={activityOptions} />
      )}
      <label className="checkbox wide">
        <input type="checkbox" name="pinned" /> Pin it to the top
      </label>
      {create.isSuccess && <Notice key={create.submittedAt}>Posted: {create.data.title}.</Notice>}
      <FormFooter form={form} label="Post news" />
    </form>
  );
}
