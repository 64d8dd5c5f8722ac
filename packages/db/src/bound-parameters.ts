import { createHash } from 'node:crypto';
import {
  AbstractSqlDriver,
  JsonProperty,
  PostgreSqlConnection,
  PostgreSqlPlatform,
  RawQueryFragment,
  Utils,
  type AnyEntity,
  type Configuration,
  type EntityData,
  type Knex,
  type LoggingOptions,
  type QueryResult,
  type Transaction,
} from '@mikro-orm/postgresql';

/** The statements sent as named prepared statements, by their text: preparedStatement's. */
const PREPARED = new Map<string, string>();

/**
 * Marks a hot statement (a constant of the code) to be prepared once per connection and then only bound and
 * executed: PostgreSQL parses and plans it once per connection instead of at every call (the signup
 * statement: 1.7 ms a call as an unnamed statement, 0.8 ms prepared). Off when the connection settings say
 * so (DB_PREPARED_STATEMENTS=false: PgBouncer in transaction mode before 1.21 cannot follow them).
 */
export function preparedStatement(sql: string): string {
  PREPARED.set(sql, `mergington_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`);
  return sql;
}

/** The driver option (createConfig's driverOptions) that turns preparedStatement off. */
export const PREPARED_STATEMENTS_OPTION = 'mergingtonPreparedStatements';

/**
 * MikroORM 6.6 writes every value into the SQL text (`platform.formatQuery` in
 * AbstractSqlConnection#execute), so PostgreSQL's log of a failed statement shows the values, password hashes
 * included. This connection sends the same statement with the values as bind parameters ($1, $2 of pg's
 * extended protocol); flushes, query builders and our own `execute(sql, params)` all come through here.
 */
export class BoundParametersConnection extends PostgreSqlConnection {
  override async execute<
    T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] = EntityData<AnyEntity>[],
  >(
    queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
    params: unknown[] = [],
    method: 'all' | 'get' | 'run' = 'all',
    ctx?: Transaction,
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    await this.ensureConnection();
    // As AbstractSqlConnection#execute does: a knex query runs in its own transaction, if it has one.
    if (typeof queryOrKnex !== 'string') {
      const { client } = queryOrKnex as { client?: { transacting?: boolean } };
      ctx ??= client?.transacting ? (queryOrKnex as unknown as Transaction) : undefined;
      const compiled = queryOrKnex.toSQL();
      queryOrKnex = compiled.sql;
      params = [...(compiled.bindings ?? [])];
    }
    const sql = this.config.get('onQuery')(queryOrKnex, params);
    const statement = params.length
      ? bindValues(this.platform as PostgreSqlPlatform, sql, params)
      : { sql, bindings: [] };
    return this.executeQuery(
      this.loggedSql(sql, params, loggerContext),
      async () => {
        const query = statement.bindings.length
          ? this.getKnex().raw(statement.sql, statement.bindings as Knex.RawBinding[])
          : this.getKnex().raw(params.length ? unescapeMarks(statement.sql) : statement.sql);
        if (ctx) query.transacting(ctx as Knex.Transaction);
        const name = statement.sql === sql ? this.preparedName(sql) : undefined;
        // knex hands its options to pg's query config, where a name makes a named prepared statement.
        if (name) query.options({ name });
        return this.transformRawResult<T>(await query, method);
      },
      { query: sql, params, ...loggerContext },
    );
  }

  private preparedName(sql: string): string | undefined {
    const enabled = (this.config.get('driverOptions') as Record<string, unknown>)[PREPARED_STATEMENTS_OPTION];
    return enabled === false ? undefined : PREPARED.get(sql);
  }

  /** What MikroORM's query log shows, as it would have (values only when `query-params` logging is on). */
  private loggedSql(sql: string, params: unknown[], context?: LoggingOptions): string {
    const logger = this.config.getLogger();
    if (!logger.isEnabled('query', context)) return sql;
    if (logger.isEnabled('query-params', context)) return this.platform.formatQuery(sql, params);
    return this.getKnex().client.positionBindings(sql);
  }
}

/** The PostgreSQL driver of @mikro-orm/postgresql, on BoundParametersConnection. */
export class BoundParametersDriver extends AbstractSqlDriver<PostgreSqlConnection, PostgreSqlPlatform> {
  constructor(config: Configuration) {
    super(config, new PostgreSqlPlatform(), BoundParametersConnection, ['knex', 'pg']);
  }
}

/**
 * Rewrites MikroORM's `?`-statement for knex's raw(sql, bindings): the placeholders and their meaning are
 * MikroORM's (`??` an identifier, `\?` a literal question mark, a raw fragment spliced in, an array a
 * comma-separated list), and each value is converted as MikroORM's formatQuery would before quoting it
 * (JSON as text, a Date in the ORM's time zone), so PostgreSQL receives the same values, only not in the text.
 * The result keeps `?` for each value and `\?` for each literal question mark, as knex expects.
 */
function bindValues(platform: PostgreSqlPlatform, sql: string, params: readonly unknown[]) {
  const bindings: unknown[] = [];
  const bind = (value: unknown): string => {
    if (RawQueryFragment.isRaw(value)) {
      const fragment = value as RawQueryFragment;
      if (!fragment.params.length) return escapeMarks(fragment.sql);
      const inner = bindValues(platform, fragment.sql, fragment.params);
      bindings.push(...inner.bindings);
      return inner.sql;
    }
    if (Array.isArray(value) && !(value as { [JsonProperty]?: boolean })[JsonProperty]) {
      return value.map(bind).join(', ');
    }
    bindings.push(toBinding(platform, value));
    return '?';
  };
  let index = 0;
  const text = sql.replace(/\\\?|\?\?|\?/g, (mark) => {
    if (mark === '\\?') return mark;
    const value = params[index++];
    return mark === '??' ? escapeMarks(platform.quoteIdentifier(String(value))) : bind(value);
  });
  return { sql: text, bindings };
}

function toBinding(platform: PostgreSqlPlatform, value: unknown): unknown {
  if (value === undefined) return null;
  // A knex Raw or Ref: knex splices it in, with its own bindings.
  if (platform.isRaw(value)) return value;
  if (Utils.isPlainObject(value) || (value as { [JsonProperty]?: boolean } | null)?.[JsonProperty]) {
    return JSON.stringify(value);
  }
  if (value instanceof Date) return platform.formatDate(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A literal `?` must not be taken for a placeholder by knex. */
const escapeMarks = (text: string) => text.replace(/(?<!\\)\?/g, '\\?');
/** With no bindings knex sends the text as it is, so escaped marks become plain ones here. */
const unescapeMarks = (text: string) => text.replace(/\\\?/g, '?');
