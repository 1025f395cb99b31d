// What src/http.ts imports dynamically, so that the bundle evaluates the HTTP stack only when a
// request is made. The proxy rules are the action's own (src/proxy-settings.ts).
export { request as httpRequest } from 'node:http'
export { request as httpsRequest } from 'node:https'
export { connect as tlsConnect } from 'node:tls'
