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

/** Why an attempt could not get an HTTP answer from Logto; `upgrade`: a switch of protocols. */
export type TransportKind = 'timeout' | 'network' | 'tls' | 'proxy' | 'upgrade'

/** The proxy a request went through, as messages may name it: never its credentials. */
export interface ProxyRoute {
  /** host:port, the port filled in when the URL leaves it out. */
  readonly address: string
  /** The variable the proxy URL came from, e.g. HTTPS_PROXY or http_proxy. */
  readonly variable: string
  /** Whether the proxy URL carries a user name or a password. */
  readonly credentials: boolean
}

/** What a TransportError knows. */
export interface TransportFailure {
  readonly kind: TransportKind
  /** Node's error code, e.g. ECONNRESET or UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  readonly code?: string
  /** The HTTP status a proxy answered the tunnel request with. */
  readonly proxyStatus?: number
  /** The host the request went to, for TLS advice. */
  readonly host?: string
  /** The proxy, when the failure was reaching it or its refusal. */
  readonly proxy?: ProxyRoute
  /** Set when the deadline passed while a host name was being looked up. */
  readonly lookup?: boolean
  readonly message: string
}

/** No HTTP answer from Logto: connection, TLS or proxy failure, or the per-attempt timeout. */
export class TransportError extends ActionError {
  readonly kind: TransportKind
  readonly code: string | undefined
  readonly proxyStatus: number | undefined
  readonly host: string | undefined
  readonly proxy: ProxyRoute | undefined
  readonly lookup: boolean

  constructor(failure: TransportFailure) {
    super(failure.message)
    this.kind = failure.kind
    this.code = failure.code
    this.proxyStatus = failure.proxyStatus
    this.host = failure.host
    this.proxy = failure.proxy
    this.lookup = failure.lookup ?? false
  }
}

/** Fields of an OAuth error body that are safe to quote (Logto adds `code`). */
export interface OAuthErrorFields {
  readonly error?: string
  readonly errorDescription?: string
  readonly code?: string
}

/** What a non-2xx answer from the token endpoint said. */
export interface EndpointAnswer {
  readonly status: number
  readonly fields: OAuthErrorFields
  /** The server's Retry-After, in milliseconds from when it answered. */
  readonly retryAfterMs?: number
  readonly looksLikeHtml: boolean
  /** A redirect's Location header. */
  readonly location?: string
  /** One-line description, already neutralised and free of secrets. */
  readonly message: string
}

/** A non-2xx answer from the token endpoint. */
export class TokenEndpointError extends ActionError {
  readonly status: number
  readonly fields: OAuthErrorFields
  readonly retryAfterMs: number | undefined
  readonly looksLikeHtml: boolean
  readonly location: string | undefined

  constructor(answer: EndpointAnswer) {
    super(answer.message)
    this.status = answer.status
    this.fields = answer.fields
    this.retryAfterMs = answer.retryAfterMs
    this.looksLikeHtml = answer.looksLikeHtml
    this.location = answer.location
  }
}

/** A 2xx answer that is not a usable token response (HTML, not JSON, no valid token, too large). */
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
