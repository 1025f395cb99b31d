/** Turns a failed token request into the message the workflow author reads: what, why, and the fix. */
import { ActionError, TokenEndpointError, TransportError } from './errors.js'
import { hintFor, type RequestContext } from './hints.js'
import { isTlsCode, isUntrustedCertificate } from './http.js'
import { serverText } from './log-text.js'

/** Wraps a token-endpoint or transport error with the attempt count, the cause and the fix. */
export function explainFailure(error: unknown, attempts: number, ctx: RequestContext): unknown {
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`
  if (error instanceof TokenEndpointError) {
    return new ActionError(
      `Logto refused the token request after ${tries}: ${error.message}. ${hintFor(error, ctx)}`,
      { cause: error }
    )
  }
  if (error instanceof TransportError) {
    return new ActionError(
      // The message may quote what the server sent (a reason phrase, an Upgrade header).
      `Could not get an answer from ${ctx.tokenUrl} after ${tries}: ` +
        `${serverText(error.message, ctx.secrets)}. ` +
        transportAdvice(error),
      { cause: error }
    )
  }
  return error
}

/** The fix for a failure to get any HTTP answer. */
export function transportAdvice(error: TransportError): string {
  switch (error.kind) {
    case 'timeout':
      return timeoutAdvice(error)
    case 'proxy':
      return proxyAdvice(error)
    case 'upgrade':
      return (
        'Check that endpoint points at Logto: the server at that address switches protocols ' +
        '(for example to WebSocket) instead of answering the token request.'
      )
    case 'tls':
      return isUntrustedCertificate(error.code)
        ? `The TLS certificate of ${error.host} is not trusted by Node.js: if Logto uses a ` +
            "private CA, point NODE_EXTRA_CA_CERTS at the CA's PEM file on the runner."
        : `The TLS connection to ${error.host} failed: check that endpoint has the right scheme ` +
            'and host, and that the certificate is valid for that host.'
    case 'network':
      return 'Check endpoint, and the runner network and proxy settings (HTTPS_PROXY, NO_PROXY).'
  }
}

function timeoutAdvice(error: TransportError): string {
  const variable = error.proxy?.variable
  if (error.lookup) {
    return variable
      ? `Check the proxy host name in ${variable} and the runner's DNS settings, or raise timeout.`
      : "Check the host name in endpoint and the runner's DNS settings, or raise timeout."
  }
  return variable
    ? `Check that the proxy in ${variable} is running and reachable from the runner, or raise timeout.`
    : 'Raise timeout if Logto is slow, or check endpoint.'
}

function proxyAdvice(error: TransportError): string {
  const { proxy } = error
  const variable = proxy?.variable ?? 'HTTPS_PROXY or HTTP_PROXY'
  if (proxy && isTlsCode(error.code)) {
    return isUntrustedCertificate(error.code)
      ? `The TLS certificate of the proxy in ${proxy.variable} is not trusted by Node.js: if ` +
          "the proxy uses a private CA, point NODE_EXTRA_CA_CERTS at that CA's PEM file on the " +
          'runner.'
      : `The proxy in ${proxy.variable} did not complete a TLS handshake: if it takes plain ` +
          `http (as most proxies do), write its URL with http:// instead of https://; else ` +
          `check that its certificate is valid for ${error.host}.`
  }
  if (error.proxyStatus === undefined) {
    return (
      `Check the proxy in ${variable}: its host and port, and that it is running and reachable ` +
      'from the runner; or add the Logto host to NO_PROXY.'
    )
  }
  if (error.proxyStatus !== 407) {
    return `Check the proxy in ${variable}, or add the Logto host to NO_PROXY.`
  }
  return proxy?.credentials
    ? `The proxy in ${variable} refused the credentials in its URL: check the user name and ` +
        'password there (percent-encoded), or add the Logto host to NO_PROXY.'
    : `The proxy in ${variable} wants credentials: put them in the proxy URL ` +
        '(http://user:password@proxy:port), or add the Logto host to NO_PROXY.'
}
