/** Small shared pieces: schemas from {@code schemas/}, reason codes and record accounting. *
 * <p>May import nothing of Longitude's ({@code ArchitectureTest}).
 */
package org.longitude.common;
