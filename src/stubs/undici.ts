/**
 * Stand-in for undici in the bundle. @actions/http-client imports undici only for
 * getAgentDispatcher() (proxying fetch), which this action never calls; its requests go through
 * node:http/https and tunnel. Loading real undici would cost most of the action's start-up time.
 */
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled: getAgentDispatcher() is not available in this action')
  }
}
