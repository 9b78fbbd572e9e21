import { Global, Module } from '@nestjs/common';
import { HubSigningKey } from '@roomtone/provisioning';
import { DocumentSigner } from './document-signer.service';
import { hubKeyProvider } from './hub-key.provider';
import { SODIUM, sodiumProvider } from './sodium.provider';

/**
 * The hub's side of the trust layer that other features share: libsodium, the hub key and the DocumentSigner.
 * Global because plans, licences and delivery (later issues) all sign or verify with it.
 */
@Global()
@Module({
  providers: [sodiumProvider, hubKeyProvider, DocumentSigner],
  exports: [SODIUM, HubSigningKey, DocumentSigner],
})
export class TrustModule {}
