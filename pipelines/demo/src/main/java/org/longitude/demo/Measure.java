package org.longitude.demo;

/** The questionnaires the demo clinics collect, with their valid total-score range. */
public enum Measure {
  /** Patient Health Questionnaire-9: nine items 0-3, total 0-27, item 9 = suicidal ideation. */
  PHQ9(27),
  /** Generalized Anxiety Disorder-7: seven items 0-3, total 0-21. */
  GAD7(21),
  /** PTSD Checklist for DSM-5: twenty items 0-4, total 0-80. */
  PCL5(80);

  private final int maxScore;

  Measure(int maxScore) {
    this.maxScore = maxScore;
  }

  /** The highest valid total score; anything above is out of range. */
  public int maxScore() {
    return maxScore;
  }
}
