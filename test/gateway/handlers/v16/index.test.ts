import ocpp16Schemas from 'ocpp-rpc/lib/schemas/ocpp1_6.json';
import { centralSystemActions, handlers } from '../../../../src/gateway/handlers/v16';

const schemaActions = new Set(ocpp16Schemas.map((s) => s.$id.replace(/^urn:(\w+)\.(req|conf)$/, '$1')));

describe('the OCPP 1.6 handler table', () => {
  it('names only actions OCPP 1.6 defines, and never one both sides would answer', () => {
    const handled = Object.keys(handlers);
    expect(handled.filter((a) => !schemaActions.has(a))).toEqual([]);
    expect(centralSystemActions.filter((a) => !schemaActions.has(a))).toEqual([]);
    expect(handled.filter((a) => centralSystemActions.includes(a))).toEqual([]);
  });
});
