/** Internals of soci-lambda: event validation, filters, registry hosts, the indexing run. Not an API. */
package io.soci4j.lambda.internal;
