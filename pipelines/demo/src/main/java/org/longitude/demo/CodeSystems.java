package org.longitude.demo;

/** Code system URIs and codes shared by the generator and the tests. */
public final class CodeSystems {
  public static final String LOINC = "http://loinc.org";
  public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  public static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
  public static final String UCUM = "http://unitsofmeasure.org";
  public static final String SNOMED = "http://snomed.info/sct";

  public static final String LOINC_PHQ9_TOTAL = "44261-6";
  public static final String LOINC_PHQ9_ITEM9 = "44260-8";
  public static final String LOINC_PHQ9_PANEL = "44249-1";
  public static final String LOINC_GAD7_TOTAL = "70274-6";
  public static final String LOINC_GAD7_PANEL = "69737-5";
  public static final String LOINC_PCL5_TOTAL = "101698-9";
  public static final String RXNORM_KETAMINE = "6130";

  /** PHQ-9 item LOINC codes, items 1..9 in order. */
  public static final String[] LOINC_PHQ9_ITEMS = {
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
    "44260-8"
  };

  /** LOINC answer codes for item values 0..3. */
  public static final String[] LOINC_ANSWERS = {"LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"};

  private CodeSystems() {}
}
