package dev.keyhaven.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.crypto.RootKeyProvider;
import dev.keyhaven.server.crypto.RootKeyWrapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Architecture rules the team agreed on, checked on every build. */
class ArchitectureTest {
    private static final String ROOT = "dev.keyhaven.server";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keyhaven.server");

    @Test
    void onlyTheCryptoPackageTouchesCiphersAndMacs() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.keyhaven.server.crypto..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("javax.crypto.Cipher")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("javax.crypto.Mac")
                .check(CLASSES);
    }

    @Test
    void onlyTheKeyringAndTheRootKeyProvidersTouchTheRootKey() {
        noClasses()
                .that()
                .areNotAssignableTo(RootKeyWrapper.class)
                .and()
                .areNotAssignableTo(RootKeyProvider.class)
                .and()
                .doNotHaveFullyQualifiedName(Keyring.class.getName())
                .should()
                .dependOnClassesThat()
                .areAssignableTo(RootKeyWrapper.class)
                .because("the root key is used through its wrapper, by the keyring alone")
                .check(CLASSES);
    }

    @Test
    void controllersDoNotTalkToStoresOrSql() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("Controller")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Store")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.jdbc.core.simple.JdbcClient")
                .check(CLASSES);
    }

    @Test
    void storesAreUsedOnlyInsideTheirOwnPackage() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : CLASSES) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (target.getSimpleName().endsWith("Store")
                        && target.getPackageName().startsWith(ROOT + ".")
                        && !target.getPackageName().equals(c.getPackageName())) {
                    violations.add(c.getName() + " uses " + target.getName());
                }
            }
        }
        assertThat(violations)
                .as("a store belongs to its package; call that package's service instead")
                .isEmpty();
    }

    @Test
    void featuresDoNotDependOnEachOtherInACycle() {
        slices().matching("dev.keyhaven.server.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noPackageCycleAtAnyDepth() {
        slices().matching("dev.keyhaven.server.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void newServiceMethodsReturnTypedResultsNotMaps() {
        FreezingArchRule.freeze(methods()
                        .that()
                        .areDeclaredInClassesThat()
                        .haveSimpleNameEndingWith("Service")
                        .and()
                        .arePublic()
                        .and()
                        .doNotHaveModifier(JavaModifier.BRIDGE)
                        .should()
                        .notHaveRawReturnType(Map.class)
                        .because("a service returns a record; the Infisical JSON shape is written at the edge"))
                .check(CLASSES);
    }

    @Test
    void platformDependsOnNoFeature() {
        noClasses()
                .that()
                .resideInAPackage("dev.keyhaven.server.platform..")
                .should()
                .dependOnClassesThat(DescribedPredicate.describe(
                        "a feature's class",
                        (JavaClass c) -> c.getPackageName().startsWith(ROOT + ".")
                                && !c.getPackageName().startsWith(ROOT + ".platform")))
                .check(CLASSES);
    }

    @Test
    void theServerNeverPrintsToTheConsole() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.keyhaven.server.platform.config..")
                .and()
                .doNotHaveSimpleName("KeyhavenApplication")
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .check(CLASSES);
    }
}
