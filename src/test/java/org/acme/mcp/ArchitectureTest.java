package org.acme.mcp;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape a copy of this template keeps: feature packages without cycles, a pipeline that depends on no feature,
 * and tools that see only the public API ({@code org.acme.mcp.api}), so that a tool cannot reach around a check.
 */
class ArchitectureTest {

    /** The shipped classes only: tests may reach inside. */
    static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.acme.mcp");

    static final ArchRule featurePackagesHaveNoCycles = slices().matching("org.acme.mcp.(*)..").should()
            .beFreeOfCycles();

    static final ArchRule toolsUseOnlyThePublicApi = classes().that().resideInAPackage("org.acme.mcp.tools..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("org.acme.mcp.api..", "org.acme.mcp.tools..",
                    "java..", "jakarta.inject..", "io.quarkiverse.mcp.server", "io.smallrye.mutiny..")
            .because("a tool reaches the server only through org.acme.mcp.api; everything else is internal");

    static final ArchRule apiDependsOnlyOnThePipeline = noClasses().that().resideInAPackage("org.acme.mcp.api..")
            .should().dependOnClassesThat(internalOutside("org.acme.mcp.api..", "org.acme.mcp.pipeline.."));

    static final ArchRule pipelineDependsOnNoFeature = noClasses().that().resideInAPackage("org.acme.mcp.pipeline..")
            .should().dependOnClassesThat(internalOutside("org.acme.mcp.pipeline.."))
            .because("stages and interceptors depend on the pipeline, never the reverse");

    @Test
    void featurePackagesHaveNoCycles() {
        featurePackagesHaveNoCycles.check(MAIN);
    }

    @Test
    void toolsUseOnlyThePublicApi() {
        toolsUseOnlyThePublicApi.check(MAIN);
    }

    @Test
    void apiDependsOnlyOnThePipeline() {
        apiDependsOnlyOnThePipeline.check(MAIN);
    }

    @Test
    void pipelineDependsOnNoFeature() {
        pipelineDependsOnNoFeature.check(MAIN);
    }

    /** Classes of this application outside the given packages. */
    private static DescribedPredicate<JavaClass> internalOutside(String... packages) {
        return resideInAPackage("org.acme.mcp..").and(not(resideInAnyPackage(packages)));
    }
}
