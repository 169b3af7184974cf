package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /a:/b                       | /a       | /b   | RPRIVATE | false | /a:/b:rprivate
            /a:/b:rshared               | /a       | /b   | RSHARED  | false | /a:/b:rshared
            /a:/b:SLAVE                 | /a       | /b   | SLAVE    | false | /a:/b:slave
            /a:/b:ro                    | /a       | /b   | RPRIVATE | true  | /a:/b:rprivate,ro
            /a:/b:rw                    | /a       | /b   | RPRIVATE | false | /a:/b:rprivate
            /data:/var/lib/db:ro,rshared| /data    | /var/lib/db | RSHARED | true | /data:/var/lib/db:rshared,ro
            /a:/b:rslave,RO             | /a       | /b   | RSLAVE   | true  | /a:/b:rslave,ro
            dbdata:/var/lib/db          | dbdata   | /var/lib/db | RPRIVATE | false | dbdata:/var/lib/db:rprivate
            ' /a:/b '                   | /a       | /b   | RPRIVATE | false | /a:/b:rprivate
            """)
    void parse_acceptedForms_andCanonicalForm(String text, String source, String destination, Propagation propagation,
                                             boolean readOnly, String canonical) {
        Mount mount = Mount.parse(text);
        assertThat(mount).isEqualTo(new Mount(source, destination, propagation, readOnly));
        assertThat(mount).hasToString(canonical);
        assertThat(Mount.parse(canonical)).isEqualTo(mount);
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''            | invalid mount "": it is empty
            /a            | invalid mount "/a": expected source:destination[:propagation][,ro]
            /a:/b:c:d     | invalid mount "/a:/b:c:d": expected source:destination[:propagation][,ro]
            /a:/b:bogus   | invalid mount "/a:/b:bogus": propagation mode must be set to one of the supported modes (rprivate, private, rshared, shared, rslave, slave) or ro/rw
            /a:/b:        | invalid mount "/a:/b:": propagation mode must be set to one of the supported modes (rprivate, private, rshared, shared, rslave, slave) or ro/rw
            :/b           | invalid mount ":/b": source and destination must be set for a mount point
            /a:           | invalid mount "/a:": source and destination must be set for a mount point
            /a:b          | invalid mount "/a:b": mount destination "b" is not an absolute path
            ./data:/b     | invalid mount "./data:/b": mount source "./data" is neither an absolute host path nor a volume name
            """)
    void parse_rejectsWhatKantoDropsOrRefuses(String text, String message) {
        assertThatThrownBy(() -> Mount.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void volumes_andBinds() {
        assertThat(Mount.parse("dbdata:/db").isVolume()).isTrue();
        assertThat(Mount.bind("/a", "/b").isVolume()).isFalse();
        assertThat(Mount.bind("/a", "/b")).isEqualTo(Mount.parse("/a:/b:rprivate"));
    }
}
