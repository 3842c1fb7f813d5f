package org.longitude.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** A view's resources read as HAPI's own parser reads them, the narrative left out if unread. */
class ModelReaderTest {
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String OBSERVATION = """
      {"resourceType": "Observation", "id": "o1", "meta": {"versionId": "3"},
       "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">PHQ-9 &amp; more</div>"},
       "status": "final", "subject": {"reference": "Patient/p1"},
       "code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}], "text": "PHQ-9"},
       "effectiveDateTime": "2026-03-01T10:00:00+01:00",
       "valueQuantity": {"value": 1.50, "unit": "mg/kg"},
       "component": [{"code": {"text": "item 9"}, "valueInteger": +2}]}
      """;

  @Test
  void readsWhatHapiReadsWithoutTheNarrativeUnlessTheViewMayReadIt() throws IOException {
    byte[] json = OBSERVATION.getBytes(StandardCharsets.UTF_8);
    Resource hapi = (Resource) FHIR.newJsonParser().parseResource(OBSERVATION);

    Resource kept = new ModelReader(FHIR, true).read(ModelReader.tree(json));
    Resource without = new ModelReader(FHIR, false).read(ModelReader.tree(json));

    assertEquals(encode(hapi), encode(kept));
    assertTrue(((Observation) kept).getText().hasDiv());
    assertFalse(((Observation) without).hasText());
    ((Observation) hapi).setText(null);
    assertEquals(encode(hapi), encode(without));
    assertEquals("1.50", ((Observation) without).getValueQuantity().getValueElement()
        .getValueAsString(), "decimals keep their precision");
  }

  @Test
  void refusesWhatIsNotAResource() {
    assertThrows(IOException.class, () -> ModelReader.tree("[1]".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IOException.class,
        () -> ModelReader.tree("{\"a\": ".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aViewMayReadTheNarrativeWhenAPathNamesTextOrWalksEveryChild() throws IOException {
    assertFalse(view("code.coding.code.first()", null).mayReadNarrative());
    assertTrue(view("text.div", null).mayReadNarrative());
    assertTrue(view("code.text", null).mayReadNarrative(), "any element named text");
    assertTrue(view("id", "descendants().exists()").mayReadNarrative());
    assertTrue(view("children().count()", null).mayReadNarrative());
  }

  private static ViewDefinition view(String column, String where) throws IOException {
    String json = "{\"resource\": \"Observation\", \"select\": [{\"column\": [{\"name\": \"c\", "
        + "\"path\": \"" + column + "\"}]}]"
        + (where == null ? "" : ", \"where\": [{\"path\": \"" + where + "\"}]") + "}";
    return ViewDefinition.parse(new ObjectMapper().readTree(json), "test");
  }

  private static String encode(Resource r) {
    return FHIR.newJsonParser().encodeResourceToString(r);
  }
}
