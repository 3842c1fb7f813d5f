package org.longitude.deid;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.longitude.common.BufferedCoder;
import org.longitude.common.BundleEnd;
import org.longitude.common.Ledger;
import org.longitude.common.RecordVersion;
import org.longitude.common.SealedRecordCoder;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyKey;
import org.longitude.normalize.Fact;

/**
 * The de-identify stage: facts (restricted) in, de-identified events keyed by participant
 * pseudonym out, a participant's events that arrive near each other shipped as one list.
 * Copies only the allowlisted fields; everything else stays behind. The ledgers handed on
 * with the facts go on, one per bundle, under a {@link ParticipantEvent#ledgerKey}.
 */
public final class Deidentify
    extends PTransform<PCollection<Fact>, PCollection<KV<String, List<ParticipantEvent>>>> {
  private final DeidRules rules;
  private final StudyKey key;

  private Deidentify(DeidRules rules, StudyKey key) {
    this.rules = rules;
    this.key = key;
  }

  public static Deidentify with(DeidRules rules, StudyKey key) {
    return new Deidentify(rules, key);
  }

  @Override
  public PCollection<KV<String, List<ParticipantEvent>>> expand(PCollection<Fact> facts) {
    return facts.apply("Pseudonymise", ParDo.of(new DeidentifyFn(rules, key)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(),
            BufferedCoder.of(ListCoder.of(SealedRecordCoder.of(ParticipantEvent.class)))));
  }

  /** Applies pseudonyms, the participant's date shift and Safe Harbor generalisation. */
  static final class DeidentifyFn extends DoFn<Fact, KV<String, List<ParticipantEvent>>> {
    private static final java.util.Set<String> SEXES =
        java.util.Set.of("male", "female", "other", "unknown");
    /**
     * Participants whose pseudonym and shift are kept per DoFn instance: a participant's
     * records mostly arrive together, and each saves two HMACs. Bounded, so memory stays flat.
     */
    static final int CACHED_PARTICIPANTS = 4096;
    /**
     * Events held before they are shipped, each participant's together: the grouping by
     * participant then sorts and moves one record per participant and batch instead of one
     * per event (clinics' exports mostly list a patient's resources together; interleaved
     * input still groups within this window). Bounded, so memory stays flat.
     */
    static final int PENDING_EVENTS = 8192;
    private static final Pattern VERSION_NUMBER = Pattern.compile("\\d{1,18}");
    private final DeidRules rules;
    private final StudyKey key;
    private transient Pseudonyms pseudonyms;
    private transient SafeHarbor safeHarbor;
    /** Per clinic, the recently seen participants by source Patient id. */
    private transient Map<String, Map<String, Person>> people;
    /** Events not shipped yet, by participant pseudonym. */
    private transient Map<String, List<ParticipantEvent>> pending;
    private transient int pendingEvents;
    /** The ledgers handed on in this bundle, merged. */
    private transient Ledger ledger;

    /** A participant's pseudonym and date shift. */
    private record Person(String participant, int shift) {}

    DeidentifyFn(DeidRules rules, StudyKey key) {
      this.rules = rules;
      this.key = key;
    }

    @Setup
    public void setup() {
      pseudonyms = new Pseudonyms(key, rules.maxShiftDays());
      safeHarbor = new SafeHarbor(rules);
      people = new HashMap<>();
    }

    @StartBundle
    public void startBundle() {
      pending = new LinkedHashMap<>();
      pendingEvents = 0;
      ledger = new Ledger();
    }

    @ProcessElement
    public void process(@Element Fact fact,
        OutputReceiver<KV<String, List<ParticipantEvent>>> out) {
      if (fact instanceof Fact.LedgerFact l) {
        ledger.addAll(l.ledger());
        return;
      }
      Person person = person(fact.clinic(), fact.patientId());
      pending.computeIfAbsent(person.participant(), p -> new ArrayList<>())
          .add(event(fact, person.shift()));
      if (++pendingEvents >= PENDING_EVENTS) {
        drain((participant, events) -> out.output(KV.of(participant, events)));
      }
    }

    /** What the bundle left pending, and its ledger. */
    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      BiConsumer<String, List<ParticipantEvent>> out =
          (key, events) -> BundleEnd.output(c, KV.of(key, events));
      drain(out);
      if (!ledger.isEmpty()) {
        out.accept(ParticipantEvent.ledgerKey(), List.of(new ParticipantEvent.LedgerEvent(ledger)));
      }
    }

    /** Hands every pending participant's events on, as one list each. */
    void drain(BiConsumer<String, List<ParticipantEvent>> out) {
      pending.forEach(out);
      pending = new LinkedHashMap<>();
      pendingEvents = 0;
    }

    private Person person(String clinic, String patientId) {
      Map<String, Person> clinicPeople = people.computeIfAbsent(clinic, c -> lru());
      Person person = clinicPeople.get(patientId);
      if (person == null) {
        // Shifted in year_only mode too: true years with exact day offsets would pin true
        // dates down (an offset at which the year turns is a known 1 January).
        person = new Person(pseudonyms.participant(clinic, patientId),
            pseudonyms.shiftDays(clinic, patientId));
        clinicPeople.put(patientId, person);
      }
      return person;
    }

    private static Map<String, Person> lru() {
      return new LinkedHashMap<>(CACHED_PARTICIPANTS * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Person> eldest) {
          return size() > CACHED_PARTICIPANTS;
        }
      };
    }

    private ParticipantEvent event(Fact fact, int shift) {
      String clinic = fact.clinic();
      if (fact instanceof Fact.PatientFact p) {
        return new ParticipantEvent.Demographics(clinic, version(p.version(), shift),
            sex(p.gender()), shift(p.birthDate(), shift),
            p.birthDate() == null ? null : shift(p.birthDate().plusYears(rules.ageCap()), shift),
            safeHarbor.zip3(p.postalCode()));
      }
      if (fact instanceof Fact.ScoreFact s) {
        return new ParticipantEvent.Score(clinic, recordId(s.clinic(), s.resourceType(),
            s.recordId()), version(s.version(), shift), s.measure(), s.sourceSystem(),
            s.sourceCode(), s.total(), s.items(), shift(s.date(), shift),
            s.members().stream().map(id -> recordId(clinic, "Observation", id)).toList());
      }
      if (fact instanceof Fact.AdministrationFact a) {
        return new ParticipantEvent.Administration(clinic, recordId(clinic, a.resourceType(),
            a.recordId()), version(a.version(), shift), a.system(), a.code(),
            shift(a.date(), shift), a.resourceType());
      }
      if (fact instanceof Fact.DiagnosisFact d) {
        return new ParticipantEvent.Diagnosis(clinic, recordId(clinic, d.resourceType(),
            d.recordId()), version(d.version(), shift), d.codes());
      }
      Fact.RetractionFact r = (Fact.RetractionFact) fact;
      return new ParticipantEvent.Retraction(clinic, r.resourceType(),
          recordId(clinic, r.resourceType(), r.recordId()), version(r.version(), shift));
    }

    private String recordId(String clinic, String type, String id) {
      return pseudonyms.record(clinic, type, id);
    }

    /** FHIR administrative gender codes only: any other text might be free text. */
    static String sex(String gender) {
      return gender != null && SEXES.contains(gender) ? gender : null;
    }

    private static LocalDate shift(LocalDate date, int days) {
      return date == null ? null : date.plusDays(days);
    }

    /**
     * The version with its lastUpdated shifted. A versionId is the server's free text (an
     * ETag, a UUID, anything): only a plain version number passes; other versions are ordered
     * by lastUpdated.
     */
    private static RecordVersion version(RecordVersion v, int shiftDays) {
      RecordVersion shifted = v.shiftedBy(shiftDays);
      String text = VERSION_NUMBER.matcher(v.text()).matches() ? v.text() : "";
      return new RecordVersion(shifted.number(), text, shifted.lastUpdatedMillis());
    }
  }
}
