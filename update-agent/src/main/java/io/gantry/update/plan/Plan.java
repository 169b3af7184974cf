package io.gantry.update.plan;

import java.util.List;

/**
 * What it takes to turn the current containers into the desired ones: the steps in desired-state order, then the
 * destroys by name; {@code warnings} name what the plan leaves alone on purpose (system containers).
 */
public record Plan(List<Step> steps, List<String> warnings) {

    public Plan {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }
}
