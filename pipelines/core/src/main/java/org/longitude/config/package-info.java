/**
 * The study configuration: the study YAML and the files it names (clinic mappings, measure
 * catalogue, de-identification and cohort rules), loaded, validated and resolved into one
 * serializable {@link org.longitude.config.Study} that every stage reads.
 *
 * <p>May import {@code common} ({@code ArchitectureTest}).
 */
package org.longitude.config;
