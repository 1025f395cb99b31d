/** Base class for failures the action explains to the workflow author. */
export class ActionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** An input that is missing or malformed; raised before any request is sent. */
export class InputError extends ActionError {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(message)
  }
}

/** Why an attempt could not get an HTTP answer at all. */
export type TransportKind = 'timeout' | 'network'

/** No HTTP answer: connection refused or reset, DNS failure, or the per-attempt timeout. */
export class TransportError extends ActionError {
  constructor(
    readonly kind: TransportKind,
    readonly code: string | undefined,
    message: string
  ) {
    super(message)
  }
}

/** Fields of an OAuth error body that are safe to quote (Logto adds `code`). */
export interface OAuthErrorFields {
  readonly error?: string
  readonly errorDescription?: string
  readonly code?: string
}

/** A non-2xx answer from the token endpoint. */
export class TokenEndpointError extends ActionError {
  constructor(
    readonly status: number,
    readonly fields: OAuthErrorFields,
    readonly retryAfterMs: number | undefined,
    readonly looksLikeHtml: boolean,
    readonly location: string | undefined,
    message: string
  ) {
    super(message)
  }
}

/** A 2xx answer that is not a usable token response (HTML, not JSON, no access_token, too large). */
export class ResponseError extends ActionError {}

/** Logto granted fewer scopes than were requested. */
export class MissingScopesError extends ActionError {
  constructor(
    readonly missing: readonly string[],
    message: string
  ) {
    super(message)
  }
}
