// A relative path, so that the tsconfig `paths` stub for the bare specifier does not apply here.
export { HttpClient } from '../../node_modules/@actions/http-client/lib/index.js'
export { request as httpRequest } from 'node:http'
export { request as httpsRequest } from 'node:https'
