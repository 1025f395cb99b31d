// oidc-provider ships no type declarations; the embedded test issuer uses it untyped.
declare module 'oidc-provider'
