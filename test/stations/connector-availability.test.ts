import { availabilityView, startRefusal, stationAvailabilityView, type ConnectorStartState } from '../../src/stations/connector-availability';

const inoperative = { requested: 'Inoperative' as const, scheduled: false, requestedAt: '2026-12-02T01:00:00.000Z' };
const scheduledInoperative = { ...inoperative, scheduled: true };

function state(overrides: { connector?: Partial<ConnectorStartState['connector']>; station?: Partial<ConnectorStartState['station']> } = {}): ConnectorStartState {
  return {
    stationId: 'CP_1',
    connectorId: 1,
    connector: { request: null, status: 'Available', ...overrides.connector },
    station: { request: null, status: null, ...overrides.station },
  };
}

describe('connector availability rules', () => {
  it('reads the effective availability from the reported status: Unavailable is Inoperative, no report is Unknown', () => {
    expect(availabilityView(null, 'Unavailable').effective).toBe('Inoperative');
    for (const status of ['Available', 'Preparing', 'Charging', 'SuspendedEV', 'Finishing', 'Reserved', 'Faulted']) expect(availabilityView(null, status).effective).toBe('Operative');
    expect(availabilityView(null, 'Unknown').effective).toBe('Unknown');
    expect(availabilityView(null, null)).toEqual({ requested: null, requestedAt: null, scheduled: false, effective: 'Unknown' });
  });

  it('shows a Scheduled change as scheduled until the station reports it', () => {
    expect(availabilityView(scheduledInoperative, 'Charging')).toMatchObject({ requested: 'Inoperative', scheduled: true, effective: 'Operative' });
    expect(availabilityView(scheduledInoperative, 'Unavailable')).toMatchObject({ scheduled: false, effective: 'Inoperative' });
  });

  it("takes the station's own connector-0 report, else its connectors': all Unavailable is Inoperative", () => {
    expect(stationAvailabilityView(null, 'Unavailable', ['Charging']).effective).toBe('Inoperative');
    expect(stationAvailabilityView(null, null, ['Unavailable', 'Unavailable']).effective).toBe('Inoperative');
    expect(stationAvailabilityView(scheduledInoperative, null, ['Charging', 'Unavailable'])).toMatchObject({ scheduled: true, effective: 'Operative' });
    expect(stationAvailabilityView(null, 'Unknown', ['Unknown', 'Unknown']).effective).toBe('Unknown');
    expect(stationAvailabilityView(null, null, []).effective).toBe('Unknown');
  });

  it('refuses a start on a connector or station requested Inoperative (also while scheduled), or reported Unavailable or Faulted', () => {
    expect(startRefusal(state())).toBeNull();
    expect(startRefusal(state({ connector: { request: scheduledInoperative, status: 'Finishing' } }))).toMatch(/connector 1 of station CP_1 was made Inoperative/);
    expect(startRefusal(state({ station: { request: inoperative } }))).toMatch(/station CP_1 was made Inoperative \(ChangeAvailability on connector 0\)/);
    expect(startRefusal(state({ station: { status: 'Unavailable' } }))).toMatch(/station CP_1 reports itself Unavailable/);
    expect(startRefusal(state({ connector: { status: 'Faulted' } }))).toMatch(/reports Faulted/);
    expect(startRefusal(state({ connector: { status: 'Unavailable' } }))).toMatch(/reports Unavailable/);
    expect(startRefusal(state({ connector: { request: { ...inoperative, requested: 'Operative' }, status: 'Available' } }))).toBeNull();
  });
});
