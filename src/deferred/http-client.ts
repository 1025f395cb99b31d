// The real @actions/http-client, which src/http.ts imports dynamically so that the bundle evaluates
// the HTTP stack only when a request is made. A relative path, so that the tsconfig `paths`
// stand-in for the bare specifier (src/stubs/http-client.ts) does not apply here.
export { HttpClient } from '../../node_modules/@actions/http-client/lib/index.js'
