/** JSON wire forms of OCI manifests, indexes, descriptors and error bodies, and their mapping. */
package io.soci4j.registry.internal.model;
