/** Errors oidc-provider names differently from the Logto release this issuer mimics. */
const renamed = new Map([['unauthorized_client', 'invalid_request']])

/**
 * Koa middleware that gives oidc-provider's error bodies Logto's extra `code` and `message` fields.
 * @param {any} ctx
 * @param {() => Promise<void>} next
 */
export async function logtoErrorBody(ctx, next) {
  await next()
  const body = ctx.body
  if (!body || typeof body !== 'object' || typeof body.error !== 'string') return

  const error = renamed.get(body.error) ?? body.error
  const description = body.error_description ?? error
  ctx.body = {
    ...body,
    error,
    error_description: description,
    code: `oidc.${error}`,
    message: description
  }
}

/**
 * oidc-provider's `renderError`: HTML-preferring clients still get the JSON body Logto sends.
 * @param {any} ctx
 * @param {Record<string, unknown>} out
 */
export async function renderJsonError(ctx, out) {
  ctx.type = 'json'
  ctx.body = out
}
