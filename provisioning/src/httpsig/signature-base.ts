import { type BareItem, serializeInnerList } from './structured-fields';

/** The signature parameters we produce and accept. */
export interface SignatureParams {
  components: string[];
  created: number;
  keyid: string;
  nonce: string;
  alg?: string;
  expires?: number;
}

/** What a signature base is built from. */
export interface MessageView {
  method: string;
  targetUri: string;
  /** A header's value (combined, trimmed) by lower-case name; undefined when absent. */
  header(name: string): string | undefined;
}

/** Thrown when a covered component cannot be produced (absent header, unknown derived component). */
export class MissingComponentError extends Error {}

/**
 * The RFC 9421 section 2.5 signature base: one line per covered component, then `"@signature-params": <inner list>`.
 * Returns the base and the serialized parameters (the `Signature-Input` member value).
 */
export function signatureBase(
  params: SignatureParams,
  message: MessageView,
  /** The parameters in the order the sender serialized them (verifiers pass what they received). */
  received?: [string, BareItem][],
): { base: string; paramsValue: string } {
  const lines = params.components.map((name) => `"${name}": ${componentValue(name, message)}`);
  const paramList: [string, BareItem][] = received ?? [['created', params.created]];
  if (!received) {
    if (params.expires !== undefined) paramList.push(['expires', params.expires]);
    paramList.push(['keyid', params.keyid], ['nonce', params.nonce]);
    if (params.alg !== undefined) paramList.push(['alg', params.alg]);
  }
  const paramsValue = serializeInnerList({
    items: params.components.map((c) => ({ value: c, params: [] })),
    params: paramList,
  });
  lines.push(`"@signature-params": ${paramsValue}`);
  return { base: lines.join('\n'), paramsValue };
}

/** The one form of the target URI both sides compute (WHATWG URL serialization), so signer and verifier agree. */
export function normalizeTargetUri(uri: string): string {
  return new URL(uri).href;
}

function componentValue(name: string, message: MessageView): string {
  switch (name) {
    case '@method':
      return message.method.toUpperCase();
    case '@target-uri':
      return normalizeTargetUri(message.targetUri);
    case '@authority':
      return new URL(message.targetUri).host.toLowerCase();
    case '@path':
      return new URL(message.targetUri).pathname;
    case '@query':
      return new URL(message.targetUri).search || '?';
    default: {
      if (name.startsWith('@')) throw new MissingComponentError(`unsupported derived component ${name}`);
      const value = message.header(name);
      if (value === undefined) throw new MissingComponentError(`header ${name} is covered but absent`);
      return value.trim();
    }
  }
}
