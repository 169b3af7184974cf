package io.gantry.core.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * The operator's policy or trust rules do not allow a container: nothing was pulled or created. {@link #rule()} is the
 * JSON path of the configuration key that refused it ({@code policy.privileged}, {@code trust.allowlist}); the message
 * is one line that names the rule, the image and, when known, its digest.
 */
public final class ContainerRefusedException extends RuntimeException {

    private final String rule;
    private final String image;
    private final Optional<String> digest;

    public ContainerRefusedException(String rule, String image, Optional<String> digest, String why) {
        super("refused by " + Objects.requireNonNull(rule, "rule") + ": " + Objects.requireNonNull(why, "why")
                + " (image " + Objects.requireNonNull(image, "image")
                + Objects.requireNonNull(digest, "digest").map(d -> ", digest " + d).orElse("") + ")", null);
        this.rule = rule;
        this.image = image;
        this.digest = digest;
    }

    public String rule() {
        return rule;
    }

    /**
     * The configuration key of the rule, without the entry of a map: {@code trust.signatures} for
     * {@code trust.signatures["registry.example/apps/*"]}; what metrics count by.
     */
    public String ruleKey() {
        return ruleKey(rule);
    }

    /** The key of {@code rule} without the entry of a map, as {@link #ruleKey()}. */
    public static String ruleKey(String rule) {
        int entry = rule.indexOf('[');
        return entry < 0 ? rule : rule.substring(0, entry);
    }

    public String image() {
        return image;
    }

    public Optional<String> digest() {
        return digest;
    }
}
