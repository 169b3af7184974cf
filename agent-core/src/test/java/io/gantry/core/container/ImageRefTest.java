package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {

    private static final String HEX = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            nginx                                  | docker.io/library/nginx:latest          | docker.io       | library/nginx    | latest | -
            nginx:1.25                             | docker.io/library/nginx:1.25            | docker.io       | library/nginx    | 1.25   | -
            library/nginx                          | docker.io/library/nginx:latest          | docker.io       | library/nginx    | latest | -
            docker.io/nginx                        | docker.io/library/nginx:latest          | docker.io       | library/nginx    | latest | -
            index.docker.io/nginx                  | docker.io/library/nginx:latest          | docker.io       | library/nginx    | latest | -
            docker.io/library/nginx:latest         | docker.io/library/nginx:latest          | docker.io       | library/nginx    | latest | -
            eclipse/kanto                          | docker.io/eclipse/kanto:latest          | docker.io       | eclipse/kanto    | latest | -
            myhost/team/app:v2                     | docker.io/myhost/team/app:v2            | docker.io       | myhost/team/app  | v2     | -
            localhost/app                          | localhost/app:latest                    | localhost       | app              | latest | -
            localhost:5000/app:1                   | localhost:5000/app:1                    | localhost:5000  | app              | 1      | -
            localhost                              | docker.io/library/localhost:latest      | docker.io       | library/localhost| latest | -
            foo:5000                               | docker.io/library/foo:5000              | docker.io       | library/foo      | 5000   | -
            registry.example.com/a/b/c:1.0-rc.1    | registry.example.com/a/b/c:1.0-rc.1     | registry.example.com | a/b/c       | 1.0-rc.1 | -
            Registry.Example.com:443/app           | registry.example.com:443/app:latest     | registry.example.com:443 | app     | latest | -
            [::1]:5000/app                         | [::1]:5000/app:latest                   | [::1]:5000      | app              | latest | -
            my_reg/app                             | docker.io/my_reg/app:latest             | docker.io       | my_reg/app       | latest | -
            a.b-c/x__y                             | a.b-c/x__y:latest                       | a.b-c           | x__y             | latest | -
            gantry-test/busybox:1                  | docker.io/gantry-test/busybox:1         | docker.io       | gantry-test/busybox | 1   | -
            ' nginx '                              | docker.io/library/nginx:latest          | docker.io       | library/nginx    | latest | -
            """)
    void parse_normalisesLikeDocker(String text, String canonical, String registry, String repository, String tag,
                                    String digest) {
        ImageRef ref = ImageRef.parse(text);
        assertThat(ref.canonical()).isEqualTo(canonical);
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).contains(tag);
        assertThat(ref.digest()).isEmpty();
        assertThat(ref.text()).isEqualTo(text.trim());
        assertThat(ref.name()).isEqualTo(registry + "/" + repository);
        assertThat(ref).isEqualTo(ImageRef.parse(canonical)).hasSameHashCodeAs(ImageRef.parse(canonical));
    }

    @Test
    void parse_digests() {
        ImageRef byDigest = ImageRef.parse("nginx@sha256:" + HEX);
        assertThat(byDigest.tag()).isEmpty();
        assertThat(byDigest.digest()).contains("sha256:" + HEX);
        assertThat(byDigest.canonical()).isEqualTo("docker.io/library/nginx@sha256:" + HEX);

        ImageRef both = ImageRef.parse("localhost:5000/app:1.2@sha256:" + HEX);
        assertThat(both.tag()).contains("1.2");
        assertThat(both.canonical()).isEqualTo("localhost:5000/app:1.2@sha256:" + HEX);
        assertThat(both).isNotEqualTo(ImageRef.parse("localhost:5000/app:1.2"));
    }

    @Test
    void parse_imageIds() {
        ImageRef id = ImageRef.parse("sha256:" + HEX);
        assertThat(id.isImageId()).isTrue();
        assertThat(id.canonical()).isEqualTo("sha256:" + HEX);
        assertThat(id.name()).isEqualTo("sha256:" + HEX);
        assertThat(ImageRef.parse(HEX)).isEqualTo(id);
        assertThat(id.registry()).isEmpty();
        assertThat(id.tag()).isEmpty();
        assertThat(ImageRef.parse("abcdef123456").isImageId()).as("a short id is a repository name").isFalse();
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', textBlock = """
            NGINX                 | invalid image reference "NGINX": the repository "NGINX" must be lower-case letters, digits and separators (. _ -)
            nginx:                | invalid image reference "nginx:": the tag "" is not valid
            nginx:-x              | invalid image reference "nginx:-x": the tag "-x" is not valid
            nginx:a/b             | invalid image reference "nginx:a/b": the registry "nginx:a" is not a host[:port]
            a.b_c/x               | invalid image reference "a.b_c/x": the registry "a.b_c" is not a host[:port]
            :latest               | invalid image reference ":latest": the repository name is empty
            foo//bar              | invalid image reference "foo//bar": the repository "foo//bar" must be lower-case letters, digits and separators (. _ -)
            foo/bar-              | invalid image reference "foo/bar-": the repository "foo/bar-" must be lower-case letters, digits and separators (. _ -)
            'ngi nx'              | invalid image reference "ngi nx": the repository "ngi nx" must be lower-case letters, digits and separators (. _ -)
            nginx@sha256:abc      | invalid image reference "nginx@sha256:abc": the digest "sha256:abc" is not of the form sha256:<64 hex digits>
            nginx@md5             | invalid image reference "nginx@md5": the digest "md5" is not of the form sha256:<64 hex digits>
            -reg.io/app           | invalid image reference "-reg.io/app": the registry "-reg.io" is not a host[:port]
            reg.io:x/app          | invalid image reference "reg.io:x/app": the registry "reg.io:x" is not a host[:port]
            """)
    void parse_rejectsNamingTheReferenceAndTheProblem(String text, String message) {
        assertThatThrownBy(() -> ImageRef.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void parse_digestOfTheWrongLength_isRejected() {
        String shortHex = HEX.substring(0, 40);
        assertThatThrownBy(() -> ImageRef.parse("nginx@sha256:" + shortHex)).hasMessage("invalid image reference \"nginx@sha256:"
                + shortHex + "\": the digest \"sha256:" + shortHex + "\" is not of the form sha256:<64 hex digits>");
    }

    @Test
    void parse_emptyOrTooLong_isRejected() {
        assertThatThrownBy(() -> ImageRef.parse(" ")).hasMessage("the image reference is empty");
        assertThatThrownBy(() -> ImageRef.parse(null)).hasMessage("the image reference is empty");
        String longName = "reg.io/" + "a".repeat(250);
        assertThatThrownBy(() -> ImageRef.parse(longName))
                .hasMessage("invalid image reference \"" + longName + "\": the name is longer than 255 characters");
    }

    @Test
    void toString_keepsWhatTheOperatorTyped() {
        assertThat(ImageRef.parse("nginx")).hasToString("nginx");
    }
}
