package io.soci4j.registry.internal.auth;

import io.soci4j.registry.Credential;

/**
 * Cache key of a bearer token: who asked (origin), where (realm, service), for what (scopes) and
 * as whom (credential; null for anonymous). Its {@code toString} shows no secret, since
 * {@link Credential#toString()} redacts it.
 *
 * @param origin {@code scheme://host:port} of the registry
 * @param realm the token server URL
 * @param service the service parameter
 * @param scopes {@link ScopeSet#key()} of the scopes
 * @param credential the credential, or null
 */
public record TokenKey(String origin, String realm, String service, String scopes, Credential credential) {}
