/**
 * Study-defined variables: SQL on FHIR v2 ViewDefinitions run over the clinics' resources.
 * Owns the view engine ({@link org.longitude.views.ViewDefinition},
 * {@link org.longitude.views.CompiledView} on HAPI's R4 FHIRPath engine), the specification's
 * test-file runner ({@link org.longitude.views.ConformanceSuite}).
 *
 * <p>May import {@code config} (the study), {@code common}, {@code extract.RawResource},
 * {@code deid} (pseudonyms, shifts), {@code release} (each column released under its rule:
 * {@link org.longitude.release.ViewRows}) and {@code output} (table writers); nothing
 * imports it but {@code pipeline}, {@code operate} and {@code cli} ({@code ArchitectureTest}).
 */
package org.longitude.views;
