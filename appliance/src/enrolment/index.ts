export { enrol, type EnrolOptions, type Enrolled } from './enrol';
export { signedRequest, type HubResponse } from './signed-client';
export { DEFAULT_KEYSTORE_PATH, keystorePath } from './keystore-path';
export { HubRefusal, refusalFrom } from './hub-refusal';
