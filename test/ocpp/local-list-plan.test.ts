import { applyLocalListMessage, planLocalList, type LocalListEntry } from '../../src/ocpp/local-list-plan';

const entry = (idTag: string, status: LocalListEntry['idTagInfo']['status'] = 'Accepted', more: Partial<LocalListEntry['idTagInfo']> = {}): LocalListEntry => ({
  idTag,
  idTagInfo: { status, ...more },
});
const tags = (n: number) => Array.from({ length: n }, (_, i) => entry(`TAG${String(i).padStart(3, '0')}`));

describe('local list plan', () => {
  it('sends a Full list, version 1, to a station that holds none', () => {
    const plan = planLocalList({ desired: [entry('B'), entry('A')], confirmed: null, stationVersion: 0, forceFull: false });
    expect(plan.messages).toEqual([{ updateType: 'Full', listVersion: 1, localAuthorizationList: [entry('A'), entry('B')] }]);
  });

  it('sends only the changes, one version up, to a station that holds the confirmed list', () => {
    const confirmed = { version: 4, entries: [entry('A'), entry('B'), entry('C')] };
    const plan = planLocalList({ desired: [entry('A'), entry('B', 'Blocked'), entry('D')], confirmed, stationVersion: 4, forceFull: false });
    expect(plan.messages).toEqual([
      { updateType: 'Differential', listVersion: 5, localAuthorizationList: [entry('D'), entry('B', 'Blocked'), { idTag: 'C' }] },
    ]);
    expect(applyLocalListMessage(confirmed.entries, plan.messages[0]!)).toEqual(expect.arrayContaining([entry('A'), entry('B', 'Blocked'), entry('D')]));
  });

  it('sends nothing when the station already holds the list (an expiry date in another notation is the same)', () => {
    const confirmed = { version: 2, entries: [entry('A', 'Accepted', { expiryDate: '2027-01-01T00:00:00Z' })] };
    const plan = planLocalList({ desired: [entry('A', 'Accepted', { expiryDate: '2027-01-01T00:00:00.000Z' })], confirmed, stationVersion: 2, forceFull: false });
    expect(plan.messages).toEqual([]);
  });

  it('sends a Full list above both versions when the station reports another version than confirmed', () => {
    const plan = planLocalList({ desired: [entry('A')], confirmed: { version: 3, entries: [entry('A')] }, stationVersion: 9, forceFull: false });
    expect(plan.messages).toEqual([{ updateType: 'Full', listVersion: 10, localAuthorizationList: [entry('A')] }]);
  });

  it('splits a list longer than SendLocalListMaxLength: Full with the first entries, then Differential parts, each one version up', () => {
    const plan = planLocalList({ desired: tags(7), confirmed: null, stationVersion: 0, forceFull: false, maxPerMessage: 3 });
    expect(plan.messages.map((m) => [m.updateType, m.listVersion, m.localAuthorizationList.length])).toEqual([
      ['Full', 1, 3],
      ['Differential', 2, 3],
      ['Differential', 3, 1],
    ]);
    const held = plan.messages.reduce<LocalListEntry[]>((list, m) => applyLocalListMessage(list, m), []);
    expect(held).toHaveLength(7);
  });

  it('keeps Accepted tags first when the list is longer than LocalAuthListMaxLength, and counts the rest', () => {
    const plan = planLocalList({ desired: [entry('Z', 'Blocked'), entry('B'), entry('A')], confirmed: null, stationVersion: 0, forceFull: false, maxListLength: 2 });
    expect(plan.target.map((e) => e.idTag)).toEqual(['A', 'B']);
    expect(plan.leftOut).toBe(1);
  });

  it('takes version 0 for the empty list it confirmed (an empty list reads as 0, §5.10)', () => {
    const plan = planLocalList({ desired: [entry('A')], confirmed: { version: 3, entries: [] }, stationVersion: 0, forceFull: false });
    expect(plan.messages).toEqual([{ updateType: 'Differential', listVersion: 4, localAuthorizationList: [entry('A')] }]);
  });

  it('sends an empty Full list to empty the station', () => {
    const plan = planLocalList({ desired: [], confirmed: { version: 1, entries: [entry('A')] }, stationVersion: 1, forceFull: true });
    expect(plan.messages).toEqual([{ updateType: 'Full', listVersion: 2, localAuthorizationList: [] }]);
  });
});
