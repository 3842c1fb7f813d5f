package org.longitude.demo;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;

/**
 * A search result as a fixed snapshot of stored entries; HAPI objects are decoded only for the
 * page being served. The server's paging provider keeps it between pages.
 */
final class StoreBundleProvider implements IBundleProvider {

  private final ResourceStore store;
  private final List<ResourceStore.Entry> matches;
  private final InstantType published;
  private final Integer preferredPageSize;

  /**
   * @param publishedMillis the server's time of the search, on its own clock: clients take
   *     it (Bundle meta.lastUpdated) as their high-water mark
   */
  StoreBundleProvider(ResourceStore store, List<ResourceStore.Entry> matches,
      Integer preferredPageSize, long publishedMillis) {
    this.store = store;
    this.matches = matches;
    this.published = new InstantType(new Date(publishedMillis),
        ca.uhn.fhir.model.api.TemporalPrecisionEnum.MILLI, java.util.TimeZone.getTimeZone("UTC"));
    this.preferredPageSize = preferredPageSize;
  }

  @Override
  public IPrimitiveType<Date> getPublished() {
    return published;
  }

  @Override
  public List<IBaseResource> getResources(int fromIndex, int toIndex) {
    int from = Math.max(0, fromIndex);
    int to = Math.min(matches.size(), toIndex);
    List<IBaseResource> page = new ArrayList<>(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      page.add(store.decode(matches.get(i)));
    }
    return page;
  }

  @Override
  public String getUuid() {
    return null;
  }

  @Override
  public Integer preferredPageSize() {
    return preferredPageSize;
  }

  @Override
  public Integer size() {
    return matches.size();
  }
}
