package io.gantry.update.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.update.operation.ActionState;
import io.gantry.update.operation.Report;
import io.gantry.update.operation.Stage;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackMapperTest {

    @Test
    void everyStage_hasItsOwnWireStatus_andEndsWhereTheWireStatusEnds() {
        EnumSet<FeedbackStatus> seen = EnumSet.noneOf(FeedbackStatus.class);
        for (Stage stage : Stage.values()) {
            FeedbackStatus status = FeedbackMapper.status(stage);
            assertThat(seen.add(status)).as("%s maps to a status no other stage has", stage).isTrue();
            assertThat(status.isFinal()).as("%s final", stage).isEqualTo(stage.isFinal());
        }
        assertThat(seen).containsExactlyInAnyOrder(FeedbackStatus.values());
    }

    @Test
    void everyActionState_hasItsOwnWireStatus() {
        assertThat(Arrays.stream(ActionState.values()).map(FeedbackMapper::status).distinct())
                .containsExactlyInAnyOrder(ActionStatus.values());
    }

    @Test
    void toWire_keepsTheBaselineTheMessageAndEveryAction_withoutProgress() {
        Report report = new Report("*", Stage.UPDATE_FAILURE, "no space", List.of(
                new Report.ActionReport("containers:web", "2", ActionState.UPDATE_FAILURE, "no space"),
                new Report.ActionReport("containers:db", "n/a", ActionState.REMOVAL_SUCCESS, null)));

        assertThat(FeedbackMapper.toWire(report)).isEqualTo(new WireFeedback("*", "UPDATE_FAILURE", "no space", List.of(
                new WireAction(new WireComponentRef("containers:web", "2"), "UPDATE_FAILURE", null, "no space"),
                new WireAction(new WireComponentRef("containers:db", "n/a"), "REMOVAL_SUCCESS", null, ""))));
    }
}
