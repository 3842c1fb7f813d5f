package org.longitude.demo;

import java.util.SplittableRandom;

/** Made-up, PHI-shaped demographics: names, streets and cities, some in restricted ZIP3s. */
final class Phi {

  static final String[] FEMALE = {
    "Amelia", "Beatrice", "Camila", "Dolores", "Edith", "Fiona", "Gwendolyn", "Harriet", "Imogen",
    "Josefina", "Katarina", "Lorraine", "Marisol", "Nadia", "Opal", "Priya", "Rosalind", "Soledad",
    "Theodora", "Ursula", "Valentina", "Winifred", "Yolanda", "Zinnia"
  };
  static final String[] MALE = {
    "Abel", "Bartholomew", "Cornelius", "Desmond", "Ezekiel", "Fitzgerald", "Gideon", "Horatio",
    "Ignatius", "Jasper", "Leopold", "Maximilian", "Nikolai", "Octavio", "Percival", "Quentin",
    "Rupert", "Sebastian", "Thaddeus", "Ulysses", "Vikram", "Wendell", "Xavier", "Zebulon"
  };
  static final String[] FAMILY = {
    "Abernathy", "Blackwood", "Castellano", "Delacroix", "Eastwick", "Fairbanks", "Grimaldi",
    "Hollingsworth", "Ivanova", "Jorgensen", "Kowalczyk", "Lindqvist", "Montgomery", "Nakamura",
    "Okonkwo", "Pemberton", "Quiroga", "Rasmussen", "Szymanski", "Thornbury", "Underhill",
    "Vasquez-Ortiz", "Whitfield", "Yamamoto", "Zielinski", "O'Halloran", "McAllister"
  };
  static final String[] STREETS = {
    "Maple Street", "Old Mill Road", "Juniper Lane", "Harbor View Drive", "Quarry Hill Road",
    "Birch Avenue", "Chestnut Court", "Lighthouse Way", "Prospect Terrace", "Orchard Row"
  };
  /** city, state, ZIP3. */
  static final String[][] PLACES = {
    {"Springfield", "IL", "627"}, {"Portland", "OR", "972"}, {"Austin", "TX", "787"},
    {"Columbus", "OH", "432"}, {"Madison", "WI", "537"}, {"Denver", "CO", "802"},
    {"Raleigh", "NC", "276"}, {"Worcester", "MA", "016"}, {"Tacoma", "WA", "984"},
    {"Tucson", "AZ", "857"}, {"Albany", "NY", "122"}, {"Reno", "NV", "895"}
  };
  /** Places whose ZIP3 has under 20,000 people (Safe Harbor: must become 000). */
  static final String[][] RESTRICTED_PLACES = {
    {"Claremont", "NH", "036"}, {"Bronx", "NY", "102"}, {"Alamo", "NV", "890"},
    {"Cheyenne", "WY", "821"}
  };
  static final String[] CLINICIANS = {
    "Dr. Evangeline Marchetti", "Dr. Oluwaseun Adeyemi", "Dr. Henrik Solberg",
    "Dr. Mireille Fontaine", "Dr. Rajesh Venkataraman", "Dr. Claudette Beaumont",
    "Nurse Practitioner Tobias Greer", "Dr. Ingrid Halvorsen"
  };

  private Phi() {}

  static String pick(SplittableRandom r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  static String digits(SplittableRandom r, int count) {
    StringBuilder sb = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }
}
