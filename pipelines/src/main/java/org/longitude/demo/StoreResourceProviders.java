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
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
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
    return List.of(new PatientProvider(store), new ObservationProvider(store),
        new ConditionProvider(store), new MedicationAdministrationProvider(store));
  }

  /** Read / vread plus the shared search logic. */
  public abstract static class Base implements IResourceProvider {
    final ResourceStore store;

    Base(ResourceStore store) {
      this.store = store;
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
        Integer count) {
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
      return new StoreBundleProvider(store, store.search(typeName(), from, to, filter), count);
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
    PatientProvider(ResourceStore store) {
      super(store);
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
        @Count Integer count) {
      return searchStore(ids, lastUpdated, null, null, null, count);
    }
  }

  public static final class ObservationProvider extends Base {
    ObservationProvider(ResourceStore store) {
      super(store);
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
        @Count Integer count) {
      return searchStore(ids, lastUpdated, code, patient, subject, count);
    }
  }

  public static final class ConditionProvider extends Base {
    ConditionProvider(ResourceStore store) {
      super(store);
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
        @Count Integer count) {
      return searchStore(ids, lastUpdated, code, patient, subject, count);
    }
  }

  public static final class MedicationAdministrationProvider extends Base {
    MedicationAdministrationProvider(ResourceStore store) {
      super(store);
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
        @Count Integer count) {
      return searchStore(ids, lastUpdated, code, patient, subject, count);
    }
  }
}
