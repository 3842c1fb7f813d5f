package org.longitude.views;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.context.SimpleWorkerContext;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;

/**
 * HAPI's R4 FHIRPath engine, set up for views: a worker context that knows every R4 type by
 * name and base type (what evaluation needs for {@code ofType}, {@code is} and {@code as}),
 * and the SQL on FHIR functions and {@code %rowIndex} ({@link ViewFunctions}).
 *
 * <p>Why not HAPI's {@code HapiWorkerContext}: it loads the full StructureDefinitions of R4
 * (20 MB of XML, and a cache library) — seconds on every worker at start-up — while
 * evaluating paths on parsed resources needs only the type names and their hierarchy, which
 * {@link FhirContext} already holds.
 */
public final class FhirPaths {
  private static final String BASE = "http://hl7.org/fhir/StructureDefinition/";
  /** Primitive types that specialise another primitive (the rest specialise Element). */
  private static final Map<String, String> PRIMITIVE_BASES = Map.ofEntries(
      Map.entry("code", "string"), Map.entry("id", "string"), Map.entry("markdown", "string"),
      Map.entry("positiveInt", "integer"), Map.entry("unsignedInt", "integer"),
      Map.entry("url", "uri"), Map.entry("canonical", "uri"), Map.entry("oid", "uri"),
      Map.entry("uuid", "uri"));
  private static final Set<String> QUANTITIES =
      Set.of("Age", "Count", "Distance", "Duration", "MoneyQuantity", "SimpleQuantity");
  private static final Set<String> PLAIN_RESOURCES = Set.of("Bundle", "Binary", "Parameters");

  private FhirPaths() {}

  /** A new engine (not thread-safe: one per DoFn instance or thread). */
  public static FHIRPathEngine engine(FhirContext fhir) {
    FHIRPathEngine engine = new FHIRPathEngine(workerContext(fhir));
    engine.setHostServices(new ViewFunctions());
    return engine;
  }

  private static SimpleWorkerContext workerContext(FhirContext fhir) {
    try {
      SimpleWorkerContext context = SimpleWorkerContext.fromNothing();
      context.cacheResource(definition("Element", StructureDefinitionKind.COMPLEXTYPE, null));
      context.cacheResource(definition("BackboneElement", StructureDefinitionKind.COMPLEXTYPE,
          "Element"));
      context.cacheResource(definition("Resource", StructureDefinitionKind.RESOURCE, null));
      context.cacheResource(definition("DomainResource", StructureDefinitionKind.RESOURCE,
          "Resource"));
      Set<String> seen = new java.util.HashSet<>();
      for (BaseRuntimeElementDefinition<?> type : fhir.getElementDefinitions()) {
        String name = type.getName();
        if (!seen.add(name)) {
          continue; // several classes share a type name (code: CodeType and Enumeration)
        }
        switch (type.getChildType()) {
          case PRIMITIVE_DATATYPE, ID_DATATYPE -> context.cacheResource(definition(name,
              StructureDefinitionKind.PRIMITIVETYPE, PRIMITIVE_BASES.getOrDefault(name,
                  "Element")));
          case COMPOSITE_DATATYPE -> context.cacheResource(definition(name,
              StructureDefinitionKind.COMPLEXTYPE,
              QUANTITIES.contains(name) ? "Quantity" : "Element"));
          default -> { }
        }
      }
      for (String resource : fhir.getResourceTypes()) {
        context.cacheResource(definition(resource, StructureDefinitionKind.RESOURCE,
            PLAIN_RESOURCES.contains(resource) ? "Resource" : "DomainResource"));
      }
      return context;
    } catch (IOException | FHIRException e) {
      throw new IllegalStateException("cannot set up the FHIRPath engine's type context", e);
    }
  }

  /**
   * A type's definition as far as the engine uses it: name, kind, base; a one-element
   * snapshot, so that the context never tries to generate one.
   */
  private static StructureDefinition definition(String name, StructureDefinitionKind kind,
      String base) {
    StructureDefinition sd = new StructureDefinition();
    sd.setUrl(BASE + name).setName(name).setType(name).setKind(kind).setAbstract(false)
        .setDerivation(StructureDefinition.TypeDerivationRule.SPECIALIZATION);
    if (base != null) {
      sd.setBaseDefinition(BASE + base);
    }
    sd.getSnapshot().addElement().setPath(name).setId(name);
    return sd;
  }

  /** Names of the SQL on FHIR functions the engine adds to FHIRPath. */
  static List<String> functions() {
    return List.of(ViewFunctions.RESOURCE_KEY, ViewFunctions.REFERENCE_KEY);
  }
}
