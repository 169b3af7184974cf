package io.gantry.update.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.image.StoredImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageHousekeepingTest {

    private static final String IMAGE = "gantry-test/busybox:1";

    @TempDir
    Path stateDir;

    private final FakeContainerEngine fake = new FakeContainerEngine().withImage(IMAGE);

    private static String id(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    private static StoredImage image(char c, boolean pulledByGantry) {
        return new StoredImage(id(c), List.of(), 100, pulledByGantry);
    }

    private Container container(String name) {
        fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName(name)).build(), Map.of());
        return fake.find(name).orElseThrow();
    }

    @Test
    void removable_onlyImagesGantryPulledThatNothingUsesOrRemembers() {
        Container web = container("web");
        List<StoredImage> images = List.of(image('a', true), image('b', true), image('c', false),
                new StoredImage(web.imageId(), List.of(), 5, true));

        List<StoredImage> removable = ImageHousekeeping.removable(images, List.of(web),
                Map.of("web", List.of(id('b'), web.imageId())));

        assertThat(removable).extracting(StoredImage::id).containsExactly(id('a'));
    }

    @Test
    void history_keepsTheCurrentAndKeepPreviousImages_andForgetsGoneContainers() throws Exception {
        Container web = container("web");
        Files.createDirectories(stateDir.resolve("images"));
        Files.writeString(stateDir.resolve("images/history"), "web " + id('a') + " " + id('b') + " " + id('c')
                + "\ngone " + id('d') + "\nmalformed\n");
        ImageHousekeeping housekeeping = new ImageHousekeeping(fake, null,
                () -> new ImageHousekeeping.Settings(false, 2), stateDir);

        assertThat(housekeeping.history(List.of(web), 2)).containsExactly(
                Map.entry("web", List.of(id('b'), id('c'), web.imageId())));
        assertThat(housekeeping.history(List.of(web), 0)).containsExactly(Map.entry("web", List.of(web.imageId())));
    }

    @Test
    void history_anImageRunAgain_movesToTheEnd() throws Exception {
        Container web = container("web");
        Files.createDirectories(stateDir.resolve("images"));
        Files.writeString(stateDir.resolve("images/history"), "web " + web.imageId() + " " + id('a') + "\n");
        ImageHousekeeping housekeeping = new ImageHousekeeping(fake, null,
                () -> new ImageHousekeeping.Settings(false, 1), stateDir);

        assertThat(housekeeping.history(List.of(web), 1)).containsExactly(
                Map.entry("web", List.of(id('a'), web.imageId())));
    }
}
