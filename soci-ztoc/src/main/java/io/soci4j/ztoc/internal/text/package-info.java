/** Text helpers shared by the zTOC builders and readers. */
package io.soci4j.ztoc.internal.text;
