package org.longitude.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;
import org.longitude.release.References;

/**
 * What SQL on FHIR adds to FHIRPath: {@code getResourceKey()}, {@code getReferenceKey([type])}
 * and the view's constants with {@code %rowIndex}, read from the {@link Scope} each
 * evaluation passes as its application context. Keys are {@code Type/id}, so a reference's
 * key equals the key of the resource it points at. Nothing else is resolved: no references
 * followed, no terminology, no profiles.
 */
final class ViewFunctions implements IHostApplicationServices {
  static final String RESOURCE_KEY = "getResourceKey";
  static final String REFERENCE_KEY = "getReferenceKey";
  static final String ROW_INDEX = "rowIndex";

  /**
   * One evaluation's variables: the view's constants and the index of the current element
   * of the innermost forEach, forEachOrNull or repeat (0 outside them).
   */
  static final class Scope {
    private final Map<String, List<Base>> constants;
    private int rowIndex;

    Scope(Map<String, List<Base>> constants) {
      this.constants = constants;
    }

    int rowIndex() {
      return rowIndex;
    }

    void rowIndex(int index) {
      rowIndex = index;
    }

    /** A constant's value, {@code %rowIndex} among them; empty when there is none. */
    List<Base> constant(String name) {
      return name.equals(ROW_INDEX) ? List.of(new IntegerType(rowIndex))
          : constants.getOrDefault(name, List.of());
    }
  }

  @Override
  public List<Base> resolveConstant(FHIRPathEngine engine, Object appContext, String name,
      FHIRPathConstantEvaluationMode mode) {
    // The engine also asks for bare names (IMPLICIT_*): those are elements, never constants.
    if (!(appContext instanceof Scope scope) || mode != FHIRPathConstantEvaluationMode.EXPLICIT) {
      return List.of();
    }
    return scope.constant(name.startsWith("%") ? name.substring(1) : name);
  }

  @Override
  public TypeDetails resolveConstantType(FHIRPathEngine engine, Object appContext, String name,
      FHIRPathConstantEvaluationMode mode) {
    return null;
  }

  @Override
  public boolean log(String argument, List<Base> focus) {
    return false; // trace() would print resource content: never
  }

  @Override
  public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
    return switch (functionName) {
      case RESOURCE_KEY -> new FunctionDetails("the resource's key, Type/id", 0, 0);
      case REFERENCE_KEY -> new FunctionDetails("the key a reference points at", 0, 1);
      default -> null;
    };
  }

  @Override
  public TypeDetails checkFunction(FHIRPathEngine engine, Object appContext, String functionName,
      TypeDetails focus, List<TypeDetails> parameters) {
    return new TypeDetails(org.hl7.fhir.r4.fhirpath.ExpressionNode.CollectionStatus.ORDERED,
        "string");
  }

  @Override
  public List<Base> executeFunction(FHIRPathEngine engine, Object appContext, List<Base> focus,
      String functionName, List<List<Base>> parameters) {
    List<Base> keys = new ArrayList<>();
    if (functionName.equals(RESOURCE_KEY)) {
      for (Base item : focus) {
        if (item instanceof Resource r && r.hasIdElement() && r.getIdElement().hasIdPart()) {
          keys.add(new StringType(r.fhirType() + "/" + r.getIdElement().getIdPart()));
        }
      }
    } else if (functionName.equals(REFERENCE_KEY)) {
      // The engine hands a type parameter over as its qualified name, FHIR.Patient.
      String type = parameters.isEmpty() || parameters.get(0).isEmpty() ? null
          : parameters.get(0).get(0).primitiveValue().replaceFirst("^FHIR\\.", "");
      for (Base item : focus) {
        References.Key key = item instanceof Reference ref && ref.hasReference()
            ? References.parse(ref.getReference()) : null;
        if (key != null && (type == null || type.equals(key.type()))) {
          keys.add(new StringType(key.type() + "/" + key.id()));
        }
      }
    }
    return keys;
  }

  @Override
  public Base resolveReference(FHIRPathEngine engine, Object appContext, String url,
      Base refContext) {
    return null;
  }

  @Override
  public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item,
      String url) {
    return false;
  }

  @Override
  public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
    return null;
  }

  @Override
  public boolean paramIsType(String name, int index) {
    return name.equals(REFERENCE_KEY) && index == 0;
  }
}
