export { TrustModule } from './trust.module';
export { DocumentSigner, type HubTimePayload } from './document-signer.service';
export { SODIUM, provisioningClock } from './sodium.provider';
