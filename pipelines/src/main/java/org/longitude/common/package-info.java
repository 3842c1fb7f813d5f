/** Small shared pieces: schemas from {@code schemas/}, reason codes and record accounting. */
package org.longitude.common;
