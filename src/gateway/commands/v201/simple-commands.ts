/** Contract commands whose 2.0.1 form is the same message with the same fields. */
import { translated, type Translator201 } from './translator';

export const clearCache: Translator201<'ClearCache'> = () => translated('ClearCache', {}, (reply) => ({ status: reply.status }));

export const dataTransfer: Translator201<'DataTransfer'> = ({ vendorId, messageId, data }) =>
  translated('DataTransfer', { vendorId, ...(messageId === undefined ? {} : { messageId }), ...(data === undefined ? {} : { data }) }, (reply) => ({
    status: reply.status,
    ...(typeof reply.data === 'string' ? { data: reply.data } : reply.data === undefined ? {} : { data: JSON.stringify(reply.data) }),
  }));
