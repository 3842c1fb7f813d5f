package org.longitude.views;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;
import org.longitude.common.BeamFiles;
import org.longitude.common.BufferedCoder;
import org.longitude.common.BundleEnd;
import org.longitude.common.CountPerKey;
import org.longitude.common.RecordVersion;
import org.longitude.common.Schemas;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyKey;
import org.longitude.deid.Pseudonyms;
import org.longitude.extract.RawResource;
import org.longitude.output.RowBatch;
import org.longitude.output.RowBatchCoder;
import org.longitude.output.TableLayout;
import org.longitude.output.WriteTable;
import org.longitude.release.References;
import org.longitude.release.SmallCells;
import org.longitude.release.ViewRowCounts;
import org.longitude.release.ViewRows;

/**
 * The study views stage: raw resources in, one de-identified research table per view out
 * ({@code research/views/<name>/}, Parquet and Avro, sharded and sorted by participant like
 * the participant tables, its Avro schema beside it), and {@code view_rows} (rows per view
 * and clinic, small cells withheld).
 *
 * <p>Per view: the resources of its type (and its codes) are parsed with HAPI, flattened by
 * the compiled view and released column by column ({@link ViewRows}); only the newest
 * version of a resource gives rows (an incremental run re-reads earlier landings, and a
 * retraction, {@code entered-in-error}, removes what it retracts). A value that breaks its
 * rule is counted, by view, column and rule, and never written: {@link #brokenRules} then
 * stops the run before it is published.
 */
public final class RunViews extends PTransform<PCollection<RawResource>, PDone> {
  /** Counters: {@code <view>|<clinic>|rows}, {@code <view>|<where>|<rule>|broken}, ... */
  public static final String NAMESPACE = "longitude.views";
  static final String BROKEN = "|broken";
  /** Suffix of {@code <view>|<where>|<reason>}: resources the view could not flatten. */
  static final String REFUSED = "|refused";
  /**
   * Suffix of {@code <view>|<clinic>|model}: resources of a view that runs on JSON which the
   * JSON engine handed to HAPI's model.
   */
  static final String MODEL = "|model";
  /** The views' folder under the research folder. */
  public static final String FOLDER = "views";

  private final List<ReleasedView> views;
  private final DeidRules deid;
  private final StudyKey key;
  private final String researchDir;
  private final String runId;

  private RunViews(List<ReleasedView> views, DeidRules deid, StudyKey key, String researchDir,
      String runId) {
    this.views = views;
    this.deid = deid;
    this.key = key;
    this.researchDir = researchDir;
    this.runId = runId;
  }

  /** Runs {@code views} (checked by {@link ReleaseCheck}) into {@code researchDir}. */
  public static RunViews of(List<ReleasedView> views, DeidRules deid, StudyKey key,
      String researchDir, String runId) {
    return new RunViews(List.copyOf(views), deid, key, researchDir, runId);
  }

  @Override
  public PDone expand(PCollection<RawResource> raw) {
    String dir = BeamFiles.child(researchDir, FOLDER);
    PCollectionList<KV<String, Long>> counted = PCollectionList.empty(raw.getPipeline());
    for (ReleasedView view : views) {
      String name = view.name();
      PCollection<RowBatch> batches = raw
          .apply("Rows_" + name, ParDo.of(new ViewRowsFn(view, deid, key, runId)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VersionedRows.coder(view))))
          .apply("ByParticipant_" + name, GroupByKey.create())
          .apply("NewestVersions_" + name, ParDo.of(new NewestVersionsFn(name)))
          .setCoder(BufferedCoder.of(RowBatchCoder.withSchema(name, view.schema())));
      batches.apply("Write_" + name, WriteTable.as(TableLayout.of(name)
          .shardedBy("participant_id", 1), dir).withSchema(view.schema()).fromBatches());
      counted = counted.and(batches.apply("RowsPerClinic_" + name, CountPerKey.weighted(
          b -> name + "|" + b.rows().get(0).get("clinic"), b -> (long) b.rows().size())));
    }
    raw.getPipeline()
        .apply("ViewSchemas", Create.of(views.stream()
            .map(v -> KV.of(v.name(), v.schema())).toList()))
        .apply("WriteViewSchemas", ParDo.of(new WriteSchemaFn(dir)));
    counted.apply("AllViewRows", Flatten.pCollections())
        .apply("ViewRowsTable", ParDo.of(new ViewRowsTableFn(deid.smallCellMax(), runId)))
        .setCoder(AvroCoder.of(Schemas.load(Schemas.VIEW_ROWS)))
        .apply("Write_view_rows", WriteTable.of(Schemas.VIEW_ROWS, researchDir));
    return PDone.in(raw.getPipeline());
  }

  /**
   * The views' broken rules, from a finished run's counters: one message per view, column
   * and rule (with how many values broke it), or per view part and reason for resources the
   * view could not flatten; never a value. Empty when every value fitted.
   */
  public static List<String> brokenRules(MetricResults metrics) {
    List<String> broken = new ArrayList<>();
    for (MetricResult<Long> c : metrics.queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(NAMESPACE)).build()).getCounters()) {
      String name = c.getName().getName();
      Long n = c.getAttempted();
      if (n == null || n == 0) {
        continue;
      }
      if (name.endsWith(BROKEN)) {
        String[] p = name.substring(0, name.length() - BROKEN.length()).split("\\|", 3);
        broken.add("view '" + p[0] + "', " + p[1] + " (rule " + p[2] + "): " + n
            + " value(s) broke the rule and were not written");
      } else if (name.endsWith(REFUSED)) {
        String[] p = name.substring(0, name.length() - REFUSED.length()).split("\\|", 3);
        broken.add("view '" + p[0] + "', " + p[1] + ": " + p[2] + " (" + n
            + " resource(s), none of their rows written)");
      }
    }
    broken.sort(null);
    return broken;
  }

  /** A resource's view rows with its version, keyed by the resource's pseudonym. */
  static final class ViewRowsFn extends DoFn<RawResource, KV<String, List<VersionedRows>>> {
    /** At most this many resources travel as one element (a run of one participant's). */
    static final int RUN_MAX = 1_000;
    private final ReleasedView view;
    private final DeidRules deid;
    private final StudyKey key;
    private final String runId;
    private transient ModelReader reader;
    private transient CompiledView compiled;
    private transient int participant;
    private transient Pseudonyms pseudonyms;
    private transient ViewRows release;
    private transient byte[][] needles;
    private transient Map<String, Counter> counters;

    ViewRowsFn(ReleasedView view, DeidRules deid, StudyKey key, String runId) {
      this.view = view;
      this.deid = deid;
      this.key = key;
      this.runId = runId;
    }

    @Setup
    public void setup() {
      FhirContext fhir = FhirContext.forR4Cached();
      reader = new ModelReader(fhir, view.view().mayReadNarrative());
      compiled = CompiledView.compile(view.view(), view.name(), fhir);
      participant = compiled.path(view.participantPath(), "participant");
      pseudonyms = new Pseudonyms(key, deid.maxShiftDays());
      release = new ViewRows(view.columns(), view.schema(), deid, pseudonyms);
      needles = new byte[view.codes().size()][];
      for (int i = 0; i < needles.length; i++) {
        String code = view.codes().get(i);
        needles[i] = ("\"" + code.substring(code.indexOf('|') + 1) + "\"")
            .getBytes(StandardCharsets.UTF_8);
      }
      counters = new HashMap<>();
    }

    /**
     * Consecutive resources of one participant travel as one element: clinics' exports often
     * list a patient's resources together, and the grouping by participant then moves a
     * participant's runs rather than each resource (a million elements in the benchmark).
     */
    private transient KV<String, List<VersionedRows>> run;

    @StartBundle
    public void startBundle() {
      run = null;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      if (run != null) {
        BundleEnd.output(c, run);
        run = null;
      }
    }

    @ProcessElement
    public void process(@Element RawResource raw,
        OutputReceiver<KV<String, List<VersionedRows>>> out) {
      if (raw.ledger() != null // the pull's accounting, read by normalize
          || !raw.resourceType().equals(compiled.resource())
          || (needles.length > 0 && !containsAny(raw.json(), needles))) {
        return; // the byte test only skips what cannot carry a code the view reads
      }
      String clinic = raw.clinic();
      ObjectNode tree;
      try {
        tree = ModelReader.tree(raw.json());
      } catch (IOException | RuntimeException e) {
        count(view.name() + "|" + clinic + "|unreadable"); // normalize quarantines it
        return;
      }
      Outcome outcome = null;
      if (compiled.runsOnJson() && compiled.resource().equals(tree.path("resourceType").asText())) {
        try {
          outcome = flatten(ReadResource.of(tree, compiled), clinic);
        } catch (JsonTree.Unsupported e) {
          // beyond the JSON engine: this resource is read into HAPI's model below
        }
      }
      if (outcome == null) {
        if (compiled.runsOnJson()) {
          count(view.name() + "|" + clinic + MODEL);
        }
        Resource r;
        try {
          r = reader.read(tree);
        } catch (RuntimeException e) {
          count(view.name() + "|" + clinic + "|unreadable");
          return;
        }
        outcome = r.fhirType().equals(compiled.resource())
            ? flatten(ReadResource.of(r, compiled), clinic) : Outcome.NONE;
      }
      outcome.counts().forEach(this::count);
      if (outcome.rows() != null) {
        KV<String, VersionedRows> rows = outcome.rows();
        if (run != null && (!run.getKey().equals(rows.getKey())
            || run.getValue().size() >= RUN_MAX)) {
          out.output(run);
          run = null;
        }
        if (run == null) {
          run = KV.of(rows.getKey(), new ArrayList<>());
        }
        run.getValue().add(rows.getValue());
      }
    }

    /**
     * What one resource gives: its rows keyed by its participant's pseudonym (or none),
     * counters to add.
     */
    private record Outcome(KV<String, VersionedRows> rows, List<String> counts) {
      static final Outcome NONE = new Outcome(null, List.of());

      static Outcome counted(String counter) {
        return new Outcome(null, List.of(counter));
      }
    }

    /**
     * The resource's released rows; nothing is counted or written here, so that a resource
     * the JSON engine gives up on half way is read again, from HAPI's model, from the start.
     */
    private Outcome flatten(ReadResource resource, String clinic) {
      String id = resource.id();
      if (id == null || !resource.hasCode(view.codes())) {
        return Outcome.NONE;
      }
      String patient = patientId(resource.input());
      if (patient == null) {
        return Outcome.counted(view.name() + "|" + clinic + "|unattributed");
      }
      RecordVersion version = resource.version();
      String record = pseudonyms.record(clinic, compiled.resource(), id);
      Participant p = participant(clinic, patient);
      List<GenericRecord> rows = new ArrayList<>();
      List<String> counts = new ArrayList<>(0);
      boolean retracted = resource.retracted();
      if (!retracted) {
        List<Object[]> flat;
        try {
          flat = compiled.rows(resource.input());
        } catch (ViewException e) { // a where that is not boolean, a column of several values
          return Outcome.counted(view.name() + "|" + e.where() + "|" + e.reason() + REFUSED);
        }
        for (Object[] row : flat) {
          ViewRows.Result result = release.release(row, resource::hasCoding, clinic, p.id(),
              p.shift(), runId);
          if (result.broken() != null) {
            counts.add(view.name() + "|column '" + result.broken().name() + "'|"
                + result.broken().rule().yamlName() + BROKEN);
          } else {
            rows.add(result.record());
          }
        }
      }
      return new Outcome(KV.of(p.id(), new VersionedRows(record, version, retracted, rows)),
          counts);
    }

    /** A participant's pseudonym and shift; the last one kept (resources come in runs). */
    private record Participant(String clinic, String patient, String id, int shift) {}

    private transient Participant last;

    private Participant participant(String clinic, String patient) {
      if (last == null || !last.patient().equals(patient) || !last.clinic().equals(clinic)) {
        last = new Participant(clinic, patient, pseudonyms.participant(clinic, patient),
            pseudonyms.shiftDays(clinic, patient));
      }
      return last;
    }

    /** The Patient id the resource belongs to: its own, or its subject's (or patient's). */
    private String patientId(CompiledView.Input resource) {
      List<Base> keys = compiled.evaluate(resource, participant);
      if (keys.size() != 1) {
        return null;
      }
      References.Key k = References.parse(keys.get(0).primitiveValue());
      return k == null || !k.type().equals("Patient") ? null : k.id();
    }

    private void count(String name) {
      counters.computeIfAbsent(name, n -> Metrics.counter(NAMESPACE, n)).inc();
    }
  }

  static boolean containsAny(byte[] haystack, byte[][] needles) {
    for (byte[] needle : needles) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
    }
    return false;
  }

  /**
   * A participant's rows, one batch: of each resource the newest version's (none when it is
   * retracted). Versions are compared within a participant, as the timelines compare them.
   */
  static final class NewestVersionsFn
      extends DoFn<KV<String, Iterable<List<VersionedRows>>>, RowBatch> {
    private final String table;

    NewestVersionsFn(String table) {
      this.table = table;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<List<VersionedRows>>> participant,
        OutputReceiver<RowBatch> out) {
      Map<String, VersionedRows> newest = new HashMap<>();
      for (List<VersionedRows> run : participant.getValue()) {
        for (VersionedRows v : run) {
          newest.merge(v.record(), v, (kept, next) ->
              next.version().compareTo(kept.version()) > 0 ? next : kept);
        }
      }
      List<GenericRecord> rows = new ArrayList<>();
      for (VersionedRows v : newest.values()) {
        if (!v.retracted()) {
          rows.addAll(v.rows());
        }
      }
      if (!rows.isEmpty()) {
        out.output(new RowBatch(table, rows));
      }
    }
  }

  /** Writes each view's Avro schema beside its table, as {@code <name>.avsc}. */
  static final class WriteSchemaFn extends DoFn<KV<String, String>, Void> {
    private final String dir;

    WriteSchemaFn(String dir) {
      this.dir = dir;
    }

    @ProcessElement
    public void process(@Element KV<String, String> view) throws IOException {
      String pretty = new Schema.Parser().parse(view.getValue()).toString(true);
      BeamFiles.write(BeamFiles.child(dir, view.getKey()), view.getKey() + ".avsc", pretty);
    }
  }

  /** {@code view_rows}: per view and clinic, the rows written ({@link ViewRowCounts}). */
  static final class ViewRowsTableFn extends DoFn<KV<String, Long>, GenericRecord> {
    private final int smallCellMax;
    private final String runId;
    private transient ViewRowCounts rows;

    ViewRowsTableFn(int smallCellMax, String runId) {
      this.smallCellMax = smallCellMax;
      this.runId = runId;
    }

    @Setup
    public void setup() {
      rows = new ViewRowCounts(new SmallCells(smallCellMax), runId);
    }

    @ProcessElement
    public void process(@Element KV<String, Long> count, OutputReceiver<GenericRecord> out) {
      String[] viewAndClinic = count.getKey().split("\\|", 2);
      out.output(rows.row(viewAndClinic[0], viewAndClinic[1], count.getValue()));
    }
  }
}
