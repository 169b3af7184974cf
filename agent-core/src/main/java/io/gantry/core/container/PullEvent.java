package io.gantry.core.container;

/** Progress of an image pull: a status line, and for a layer its id and bytes done of total (0 when unknown). */
public record PullEvent(String status, String layer, long current, long total) {
}
