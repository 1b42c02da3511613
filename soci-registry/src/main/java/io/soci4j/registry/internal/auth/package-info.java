/** Registry authentication: challenges, token cache, docker config, credential helpers, ECR. */
package io.soci4j.registry.internal.auth;
