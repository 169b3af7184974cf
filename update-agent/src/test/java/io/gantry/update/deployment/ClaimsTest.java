package io.gantry.update.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ImageRef;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.plan.Ownership;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which file deploys which container, and which containers the deployment may change (docs/descriptors.md). */
class ClaimsTest {

    private static int ids;

    private static Map<String, DescriptorFile> files(String... nameAndJson) {
        Map<String, DescriptorFile> files = new TreeMap<>();
        for (int i = 0; i < nameAndJson.length; i += 2) {
            files.put(nameAndJson[i], DescriptorFile.parse(nameAndJson[i],
                    nameAndJson[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return files;
    }

    private static String kanto(String container, String image) {
        return "{\"container_name\":\"" + container + "\",\"image\":{\"name\":\"" + image + "\"}}";
    }

    /** A container on the engine; {@code labels} are Gantry's ({@code io.gantry.*}). */
    private static Container container(String name, boolean managed, String... labels) {
        ContainerId id = new ContainerId(String.format("%064x", ++ids));
        Map<String, String> gantry = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            gantry.put(labels[i], labels[i + 1]);
        }
        ContainerSpec spec = ContainerSpec.builder(ImageRef.parse("busybox")).name(new ContainerName(name)).build();
        return new Container(id, spec.name().orElseThrow(), spec.image(), "sha256:" + id, spec,
                ContainerState.created(), Instant.EPOCH, managed, gantry);
    }

    private static Container deployed(String name, String file) {
        return container(name, true, Ownership.DESCRIPTOR_LABEL, file);
    }

    private static List<String> desiredNames(Claims claims) {
        return claims.desired().components().stream().map(c -> c.name().value()).toList();
    }

    private static List<String> ownedNames(Claims claims) {
        return claims.owned().stream().map(c -> c.name().value()).toList();
    }

    @Test
    void eachValidFile_isAComponent_labelledWithTheFileName() {
        Claims claims = Claims.of(files("web.json", kanto("web", "nginx:1"), "db.json", "{\"imageRef\":\"redis\"}"),
                List.of());

        assertThat(claims.desired().components()).extracting(DesiredComponent::labels).containsExactly(
                Map.of(Ownership.DESCRIPTOR_LABEL, "db.json"), Map.of(Ownership.DESCRIPTOR_LABEL, "web.json"));
        assertThat(claims.fileOf()).containsEntry(new ContainerName("db"), "db.json")
                .containsEntry(new ContainerName("web"), "web.json");
        assertThat(claims.conflicts()).isEmpty();
    }

    @Test
    void aDisabledFile_wantsNoContainer_soItsContainerIsOwnedAndNotDesired_andNoConflictIsReported() {
        Claims claims = Claims.of(files("web.json", "{\"container_name\":\"web\",\"image\":{\"name\":\"nginx\"},"
                + "\"enabled\":false}", "byhand.json", "{\"image\":{\"name\":\"nginx\"},\"enabled\":false}"),
                List.of(deployed("web", "web.json"), container("byhand", false)));

        assertThat(desiredNames(claims)).isEmpty();
        assertThat(ownedNames(claims)).containsExactly("web");
        assertThat(claims.conflicts()).isEmpty();
    }

    @Test
    void ownedContainers_areThoseDeployedFromDescriptorFiles_only() {
        Claims claims = Claims.of(files("web.json", kanto("web", "nginx")), List.of(deployed("web", "web.json"),
                deployed("gone", "gone.json"), container("byhand", false), container("fromDesiredState", true),
                container("faked", false, Ownership.DESCRIPTOR_LABEL, "faked.json")));

        assertThat(ownedNames(claims)).containsExactly("web", "gone");
    }

    @Test
    void aFileThatCannotBeUsed_keepsItsContainerOutOfReach() {
        Claims claims = Claims.of(files("web.json", "{\"image\": {\"name\": \"nginx\"", "db.json", kanto("db", "redis")),
                List.of(deployed("web", "web.json"), deployed("db", "db.json")));

        assertThat(ownedNames(claims)).containsExactly("db");
        assertThat(desiredNames(claims)).containsExactly("db");
    }

    @Test
    void aNameHeldByAContainerGantryDidNotCreate_isAConflict_andNotDeployed() {
        Claims claims = Claims.of(files("web.json", kanto("web", "nginx")), List.of(container("web", false)));

        assertThat(desiredNames(claims)).isEmpty();
        assertThat(claims.owned()).isEmpty();
        assertThat(claims.conflicts()).containsExactly("web.json: container web exists but was not created by Gantry;"
                + " it is left alone and web.json is not deployed");
    }

    @Test
    void aNameHeldByAContainerOfTheUpdateAgent_isAConflict_andNotDeployed() {
        Claims claims = Claims.of(files("web.json", kanto("web", "nginx")), List.of(container("web", true)));

        assertThat(desiredNames(claims)).isEmpty();
        assertThat(claims.conflicts()).containsExactly("web.json: container web was created by a desired state of the"
                + " update agent; it is left alone and web.json is not deployed");
    }

    @Test
    void aNameHeldByTheContainerOfAnUnusableFile_isAConflict() {
        Claims claims = Claims.of(files("old.json", "not json", "new.json", kanto("web", "nginx")),
                List.of(deployed("web", "old.json")));

        assertThat(desiredNames(claims)).isEmpty();
        assertThat(claims.conflicts()).containsExactly("new.json: container web belongs to descriptor file old.json,"
                + " which cannot be used; it is left alone and new.json is not deployed");
    }

    @Test
    void twoFilesNamingOneContainer_theFileItWasDeployedFromKeepsIt() {
        Claims claims = Claims.of(files("a.json", kanto("web", "nginx:2"), "web.json", kanto("web", "nginx:1")),
                List.of(deployed("web", "web.json")));

        assertThat(claims.fileOf()).containsExactly(Map.entry(new ContainerName("web"), "web.json"));
        assertThat(claims.desired().components().get(0).spec().image()).isEqualTo(ImageRef.parse("nginx:1"));
        assertThat(claims.conflicts()).containsExactly("a.json: container web is already described by web.json;"
                + " a.json is not deployed");
    }

    @Test
    void twoFilesNamingANewContainer_theFirstByNameWins() {
        Claims claims = Claims.of(files("b.json", kanto("web", "nginx:2"), "a.json", kanto("web", "nginx:1")),
                List.of());

        assertThat(claims.fileOf()).containsExactly(Map.entry(new ContainerName("web"), "a.json"));
        assertThat(claims.conflicts()).hasSize(1).allMatch(c -> c.startsWith("b.json: "));
    }

    @Test
    void aRenamedFile_claimsTheContainer_whichTheLabelThenSaysIsNotYetItsOwn() {
        Claims claims = Claims.of(files("renamed.json", kanto("web", "nginx")), List.of(deployed("web", "old.json")));

        assertThat(desiredNames(claims)).containsExactly("web");
        assertThat(ownedNames(claims)).containsExactly("web");
        assertThat(claims.desired().components().get(0).labels())
                .containsExactly(Map.entry(Ownership.DESCRIPTOR_LABEL, "renamed.json"));
    }

    @Test
    void aFileThatJustDisappeared_givesWayToAPresentFileNamingItsContainer_withoutAReport() {
        Map<String, DescriptorFile> both = files("a.json", kanto("web", "nginx"), "b.json", kanto("web", "nginx"));
        Claims claims = Claims.of(new Snapshot(true, "", both, Set.of(), Set.of("a.json")),
                List.of(deployed("web", "a.json")));

        assertThat(claims.fileOf()).containsExactly(Map.entry(new ContainerName("web"), "b.json"));
        assertThat(claims.conflicts()).isEmpty();
    }

    @Test
    void aFileThatJustDisappeared_stillKeepsItsContainer_whenNoOtherFileNamesIt() {
        Claims claims = Claims.of(new Snapshot(true, "", files("a.json", kanto("web", "nginx")), Set.of(),
                Set.of("a.json")), List.of(deployed("web", "a.json")));

        assertThat(claims.fileOf()).containsExactly(Map.entry(new ContainerName("web"), "a.json"));
    }

    @Test
    void noFiles_noContainers_nothingClaimed() {
        Claims claims = Claims.of(Map.of(), List.of(container("x", true)));

        assertThat(Arrays.asList(claims.desired().components().isEmpty(), claims.owned().isEmpty(),
                claims.conflicts().isEmpty())).containsOnly(true);
    }
}
