/**
 * The largest JSON body accepted: a play batch (up to 1000 plays of ~600 bytes, docs/appliance-api.md) exceeds the
 * usual 100 kB default. Uploads are not JSON and are streamed, so this does not limit them.
 */
export const JSON_BODY_LIMIT = 2 * 1024 * 1024;
