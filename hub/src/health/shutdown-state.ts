import { Injectable } from '@nestjs/common';

/** Set when the hub starts draining, so readiness turns false and load balancers stop sending new requests. */
@Injectable()
export class ShutdownState {
  stopping = false;
}
