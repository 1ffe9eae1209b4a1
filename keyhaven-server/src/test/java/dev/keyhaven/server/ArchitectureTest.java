package dev.keyhaven.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Architecture rules the team agreed on, checked on every build. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keyhaven.server");

    @Test
    void onlyTheCryptoPackageTouchesCiphersAndMacs() {
        noClasses().that().resideOutsideOfPackage("dev.keyhaven.server.crypto..")
                .should().dependOnClassesThat().haveFullyQualifiedName("javax.crypto.Cipher")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("javax.crypto.Mac")
                .check(CLASSES);
    }

    @Test
    void controllersDoNotTalkToStoresOrSql() {
        noClasses().that().haveSimpleNameEndingWith("Controller")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Store")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.springframework.jdbc.core.simple.JdbcClient")
                .check(CLASSES);
    }

    @Test
    void storesStayInsideTheirFeature() {
        for (String feature : new String[] {"secret", "project", "access", "org", "audit", "auth.machine", "crypto"}) {
            noClasses().that().resideOutsideOfPackage("dev.keyhaven.server." + feature)
                    .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                            "a store of " + feature, c -> c.getPackageName().equals("dev.keyhaven.server." + feature)
                                    && c.getSimpleName().endsWith("Store")))
                    .check(CLASSES);
        }
    }

    @Test
    void theServerNeverPrintsToTheConsole() {
        noClasses().that().resideOutsideOfPackage("dev.keyhaven.server.platform.config..")
                .and().doNotHaveSimpleName("KeyhavenApplication")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .check(CLASSES);
    }
}
