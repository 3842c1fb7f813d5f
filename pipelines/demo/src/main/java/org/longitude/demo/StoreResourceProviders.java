package org.longitude.demo;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/** The four resource providers of a demo clinic, all backed by one {@link ResourceStore}. */
final class StoreResourceProviders {

  private StoreResourceProviders() {}

  static List<IResourceProvider> all(ResourceStore store) {
    return all(store, Duration.ZERO);
  }

  /** @param staleCache see {@link ClinicServerOptions#withStaleSearchCache} */
  static List<IResourceProvider> all(ResourceStore store, Duration staleCache) {
    SearchCache cache = new SearchCache(staleCache);
    return List.of(new PatientProvider(store, cache), new ObservationProvider(store, cache),
        new ConditionProvider(store, cache), new MedicationAdministrationProvider(store, cache));
  }

  /**
   * Earlier search results by request, as HAPI FHIR JPA reuses them: a repeated identical
   * search within the window gets the old result (and its old time) unless the client sends
   * {@code Cache-Control: no-cache}.
   */
  static final class SearchCache {
    private record Cached(long at, List<ResourceStore.Entry> matches) {}

    private final long windowMillis;
    private final Map<String, Cached> results = new ConcurrentHashMap<>();

    SearchCache(Duration window) {
      this.windowMillis = window.toMillis();
    }

    StoreBundleProvider search(ResourceStore store, RequestDetails request, Integer count,
        Supplier<List<ResourceStore.Entry>> fresh) {
      long now = store.now();
      if (windowMillis <= 0 || request == null) {
        return new StoreBundleProvider(store, fresh.get(), count, now);
      }
      String key = request.getResourceName() + "?" + new TreeMap<>(request.getParameters())
          .entrySet().stream().map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
          .collect(Collectors.joining("&"));
      String cacheControl = request.getHeader("Cache-Control");
      boolean noCache = cacheControl != null && cacheControl.contains("no-cache");
      Cached cached = results.get(key);
      if (!noCache && cached != null && now - cached.at() < windowMillis) {
        return new StoreBundleProvider(store, cached.matches(), count, cached.at());
      }
      List<ResourceStore.Entry> matches = fresh.get();
      results.put(key, new Cached(now, matches));
      return new StoreBundleProvider(store, matches, count, now);
    }
  }

  /** Read / vread plus the shared search logic. */
  public abstract static class Base implements IResourceProvider {
    final ResourceStore store;
    final SearchCache cache;

    Base(ResourceStore store, SearchCache cache) {
      this.store = store;
      this.cache = cache;
    }

    abstract String typeName();

    @Read(version = true)
    public IBaseResource read(@IdParam IdType id) {
      ResourceStore.Entry entry = id.hasVersionIdPart()
          ? store.version(typeName(), id.getIdPart(), id.getVersionIdPartAsLong().intValue())
          : store.latest(typeName(), id.getIdPart());
      return store.decode(entry);
    }

    IBundleProvider searchStore(TokenOrListParam ids, DateRangeParam lastUpdated,
        TokenOrListParam code, ReferenceOrListParam patient, ReferenceOrListParam subject,
        Integer count, RequestDetails request) {
      long from = Long.MIN_VALUE;
      long to = Long.MAX_VALUE;
      if (lastUpdated != null) {
        Date lower = lastUpdated.getLowerBoundAsInstant();
        Date upper = lastUpdated.getUpperBoundAsInstant();
        from = lower == null ? from : lower.getTime();
        to = upper == null ? to : upper.getTime();
      }
      Predicate<ResourceStore.Entry> filter = e -> true;
      if (ids != null) {
        Set<String> wanted = new HashSet<>();
        for (TokenParam t : ids.getValuesAsQueryTokens()) {
          wanted.add(new IdType(t.getValue()).getIdPart());
        }
        filter = filter.and(e -> wanted.contains(e.id));
      }
      if (code != null) {
        List<TokenParam> tokens = code.getValuesAsQueryTokens();
        filter = filter.and(e -> matchesAnyCode(e, tokens));
      }
      for (ReferenceOrListParam refs : new ReferenceOrListParam[] {patient, subject}) {
        if (refs != null) {
          Set<String> patients = patientIds(refs);
          filter = filter.and(e -> e.subject != null && patients.contains(e.subject));
        }
      }
      long lower = from;
      long upper = to;
      Predicate<ResourceStore.Entry> matching = filter;
      return cache.search(store, request, count,
          () -> store.search(typeName(), lower, upper, matching));
    }

    private static boolean matchesAnyCode(ResourceStore.Entry e, List<TokenParam> tokens) {
      for (String stored : e.codes) {
        int bar = stored.indexOf('|');
        String system = stored.substring(0, bar);
        String value = stored.substring(bar + 1);
        for (TokenParam t : tokens) {
          boolean systemOk = t.getSystem() == null || t.getSystem().equals(system);
          if (systemOk && value.equals(t.getValue())) {
            return true;
          }
        }
      }
      return false;
    }

    private static Set<String> patientIds(ReferenceOrListParam refs) {
      Set<String> result = new HashSet<>();
      for (ReferenceParam ref : refs.getValuesAsQueryTokens()) {
        if (ref.getChain() != null) {
          throw new InvalidRequestException("chained references are not supported");
        }
        String type = ref.getResourceType();
        if (type != null && !type.equals("Patient")) {
          continue;
        }
        result.add(ref.getIdPart());
      }
      return result;
    }
  }

  public static final class PatientProvider extends Base {
    PatientProvider(ResourceStore store, SearchCache cache) {
      super(store, cache);
    }

    @Override
    public Class<Patient> getResourceType() {
      return Patient.class;
    }

    @Override
    String typeName() {
      return "Patient";
    }

    @Search
    public IBundleProvider search(
        @OptionalParam(name = IAnyResource.SP_RES_ID) TokenOrListParam ids,
        @OptionalParam(name = Constants.PARAM_LASTUPDATED) DateRangeParam lastUpdated,
        @Count Integer count, RequestDetails request) {
      return searchStore(ids, lastUpdated, null, null, null, count, request);
    }
  }

  public static final class ObservationProvider extends Base {
    ObservationProvider(ResourceStore store, SearchCache cache) {
      super(store, cache);
    }

    @Override
    public Class<Observation> getResourceType() {
      return Observation.class;
    }

    @Override
    String typeName() {
      return "Observation";
    }

    @Search
    public IBundleProvider search(
        @OptionalParam(name = IAnyResource.SP_RES_ID) TokenOrListParam ids,
        @OptionalParam(name = Constants.PARAM_LASTUPDATED) DateRangeParam lastUpdated,
        @OptionalParam(name = Observation.SP_CODE) TokenOrListParam code,
        @OptionalParam(name = Observation.SP_PATIENT, targetTypes = Patient.class)
            ReferenceOrListParam patient,
        @OptionalParam(name = Observation.SP_SUBJECT) ReferenceOrListParam subject,
        @Count Integer count, RequestDetails request) {
      return searchStore(ids, lastUpdated, code, patient, subject, count, request);
    }
  }

  public static final class ConditionProvider extends Base {
    ConditionProvider(ResourceStore store, SearchCache cache) {
      super(store, cache);
    }

    @Override
    public Class<Condition> getResourceType() {
      return Condition.class;
    }

    @Override
    String typeName() {
      return "Condition";
    }

    @Search
    public IBundleProvider search(
        @OptionalParam(name = IAnyResource.SP_RES_ID) TokenOrListParam ids,
        @OptionalParam(name = Constants.PARAM_LASTUPDATED) DateRangeParam lastUpdated,
        @OptionalParam(name = Condition.SP_CODE) TokenOrListParam code,
        @OptionalParam(name = Condition.SP_PATIENT, targetTypes = Patient.class)
            ReferenceOrListParam patient,
        @OptionalParam(name = Condition.SP_SUBJECT) ReferenceOrListParam subject,
        @Count Integer count, RequestDetails request) {
      return searchStore(ids, lastUpdated, code, patient, subject, count, request);
    }
  }

  public static final class MedicationAdministrationProvider extends Base {
    MedicationAdministrationProvider(ResourceStore store, SearchCache cache) {
      super(store, cache);
    }

    @Override
    public Class<MedicationAdministration> getResourceType() {
      return MedicationAdministration.class;
    }

    @Override
    String typeName() {
      return "MedicationAdministration";
    }

    @Search
    public IBundleProvider search(
        @OptionalParam(name = IAnyResource.SP_RES_ID) TokenOrListParam ids,
        @OptionalParam(name = Constants.PARAM_LASTUPDATED) DateRangeParam lastUpdated,
        @OptionalParam(name = MedicationAdministration.SP_CODE) TokenOrListParam code,
        @OptionalParam(name = MedicationAdministration.SP_PATIENT, targetTypes = Patient.class)
            ReferenceOrListParam patient,
        @OptionalParam(name = MedicationAdministration.SP_SUBJECT) ReferenceOrListParam subject,
        @Count Integer count, RequestDetails request) {
      return searchStore(ids, lastUpdated, code, patient, subject, count, request);
    }
  }
}
