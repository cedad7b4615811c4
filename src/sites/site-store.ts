/**
 * sites and site_stations (migration 0013): the operator's declaration of each site, its limit
 * and its stations. The API is their one writer; the site workflow is sent the result.
 */
import type { Pool } from '../db/pool';
import { inTransaction } from '../db/transaction';
import type { SiteConfig } from '../../workflows/site-messages';

type Queryable = Pick<Pool, 'query'>;

export interface SiteLimitWindowRow {
  from: string;
  to: string;
  /** Decimal kW. */
  limitKw: string;
}

export interface SiteRecord {
  id: string;
  name: string;
  timeZone: string;
  limitKw: string;
  limitWindows: SiteLimitWindowRow[];
  stations: Array<{ stationId: string; maxPowerKw: string | null }>;
  createdAt: string;
  updatedAt: string;
}

export type SiteWrite = Omit<SiteRecord, 'stations' | 'createdAt' | 'updatedAt'>;

/** kW as a decimal string (at most three decimals) → whole W. */
export const kwToWatts = (kw: string): number => Math.round(Number(kw) * 1000);

/** A NUMERIC as the API shows it: no trailing zeros ("22.000" → "22"). */
const decimal = (v: string): string => (v.includes('.') ? v.replace(/\.?0+$/, '') : v);

export async function getSite(db: Queryable, id: string): Promise<SiteRecord | null> {
  const { rows } = await db.query<{ id: string; name: string; time_zone: string; limit_kw: string; limit_windows: SiteLimitWindowRow[]; created_at: Date; updated_at: Date }>(
    'SELECT * FROM sites WHERE id = $1',
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  const stations = await db.query<{ station_id: string; max_power_kw: string | null }>('SELECT station_id, max_power_kw FROM site_stations WHERE site_id = $1 ORDER BY station_id', [id]);
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    limitKw: decimal(r.limit_kw),
    limitWindows: r.limit_windows,
    stations: stations.rows.map((s) => ({ stationId: s.station_id, maxPowerKw: s.max_power_kw === null ? null : decimal(s.max_power_kw) })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function listSiteIds(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM sites ORDER BY id LIMIT $1', [limit]);
  return rows.map((r) => r.id);
}

/** false: a site with this id exists. */
export async function insertSite(db: Queryable, site: SiteWrite): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO sites (id, name, time_zone, limit_kw, limit_windows) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
    [site.id, site.name, site.timeZone, site.limitKw, JSON.stringify(site.limitWindows)],
  );
  return (rowCount ?? 0) > 0;
}

/** false: no such site. */
export async function updateSite(db: Queryable, id: string, change: Partial<Omit<SiteWrite, 'id'>>): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE sites SET name = COALESCE($2, name), time_zone = COALESCE($3, time_zone), limit_kw = COALESCE($4, limit_kw),
            limit_windows = COALESCE($5, limit_windows), updated_at = now() WHERE id = $1`,
    [id, change.name ?? null, change.timeZone ?? null, change.limitKw ?? null, change.limitWindows ? JSON.stringify(change.limitWindows) : null],
  );
  return (rowCount ?? 0) > 0;
}

export type AssignOutcome = 'assigned' | 'no_site' | 'no_station' | { inOtherSite: string };

/** Puts a station in the site (or changes its maximum there); a station is in at most one site. */
export async function assignStation(pool: Pool, siteId: string, stationId: string, maxPowerKw: string | null): Promise<AssignOutcome> {
  return inTransaction(pool, async (db) => {
    const site = await db.query('SELECT 1 FROM sites WHERE id = $1 FOR UPDATE', [siteId]);
    if (site.rowCount === 0) return 'no_site';
    const station = await db.query('SELECT 1 FROM chargers WHERE id = $1', [stationId]);
    if (station.rowCount === 0) return 'no_station';
    const { rows } = await db.query<{ site_id: string }>(
      `INSERT INTO site_stations (station_id, site_id, max_power_kw) VALUES ($1, $2, $3)
       ON CONFLICT (station_id) DO UPDATE SET max_power_kw = EXCLUDED.max_power_kw WHERE site_stations.site_id = EXCLUDED.site_id
       RETURNING site_id`,
      [stationId, siteId, maxPowerKw],
    );
    if (rows.length > 0) return 'assigned';
    const other = await db.query<{ site_id: string }>('SELECT site_id FROM site_stations WHERE station_id = $1', [stationId]);
    return { inOtherSite: other.rows[0]?.site_id ?? 'unknown' };
  });
}

/** false: the station is not in this site. */
export async function removeStation(db: Queryable, siteId: string, stationId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM site_stations WHERE site_id = $1 AND station_id = $2', [siteId, stationId]);
  return (rowCount ?? 0) > 0;
}

/** What the site workflow is told: the limits in W, its stations. */
export function siteConfigOf(site: SiteRecord): SiteConfig {
  return {
    siteId: site.id,
    name: site.name,
    limit: {
      limitW: kwToWatts(site.limitKw),
      timeZone: site.timeZone,
      windows: site.limitWindows.map((w) => ({ from: w.from, to: w.to, limitW: kwToWatts(w.limitKw) })),
    },
    stationIds: site.stations.map((s) => s.stationId),
  };
}
