/** SessionOutbox in PostgreSQL (session_outbox; rows are written by MeterSampleWriter with the samples). */
import type { Pool } from 'pg';
import type { OutboxEntry, SessionOutbox } from './ports';

export class PgSessionOutbox implements SessionOutbox {
  constructor(private readonly pool: Pool) {}

  async pending(sessionIds: string[], limit: number): Promise<OutboxEntry[]> {
    if (sessionIds.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string; session_id: string; event: Omit<OutboxEntry['event'], 'sessionId'> }>(
      'SELECT id, session_id, event FROM session_outbox WHERE session_id = ANY($1::text[]) ORDER BY id LIMIT $2',
      [sessionIds, limit],
    );
    return rows.map((r) => ({ id: Number(r.id), sessionId: r.session_id, event: { sessionId: r.session_id, ...r.event } }));
  }

  async remove(ids: number[]): Promise<void> {
    if (ids.length > 0) await this.pool.query('DELETE FROM session_outbox WHERE id = ANY($1::bigint[])', [ids]);
  }

  async waitingSessions(olderThanMs: number, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ session_id: string }>(
      `SELECT session_id FROM session_outbox WHERE created_at < now() - make_interval(secs => $1::double precision / 1000)
       GROUP BY session_id ORDER BY min(id) LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((r) => r.session_id);
  }
}
