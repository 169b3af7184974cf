package io.gantry.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.Flowable;
import io.reactivex.internal.subscriptions.BooleanSubscription;
import io.reactivex.plugins.RxJavaPlugins;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;

/** How a session receives: the end of its inbound flow with the session is quiet, whenever it comes. */
class MqttSessionTest {

    private final List<Throwable> undeliverable = new CopyOnWriteArrayList<>();

    @BeforeEach
    void recordRxJavasUnhandledFailures() {
        RxJavaPlugins.setErrorHandler(undeliverable::add);
    }

    @AfterEach
    void restoreRxJava() {
        RxJavaPlugins.setErrorHandler(null);
    }

    /**
     * A flow that, like the MQTT 3 view of HiveMQ's client (which maps the session's failure into a new error flow),
     * delivers its failure even when its subscriber has cancelled: that race with the disposal of a retired
     * connection's flow made RxJava report the session's end as undeliverable (seen in ConfigReloadIT).
     */
    @Test
    void receiveUntilDisposed_theSessionsFailureAfterTheDisposal_isTheQuietEndOfTheFlow() {
        AtomicReference<Subscriber<? super String>> subscriber = new AtomicReference<>();
        List<String> received = new CopyOnWriteArrayList<>();

        Runnable dispose = MqttSession.receiveUntilDisposed(ignoringCancellation(subscriber), received::add);
        subscriber.get().onNext("before");
        dispose.run();
        subscriber.get().onError(new IllegalStateException("Session expired as connection was closed."));

        assertThat(received).containsExactly("before");
        assertThat(undeliverable).isEmpty();
    }

    @Test
    void receiveUntilDisposed_theSessionsFailureWhileSubscribed_endsTheFlowQuietly() {
        AtomicReference<Subscriber<? super String>> subscriber = new AtomicReference<>();

        MqttSession.receiveUntilDisposed(ignoringCancellation(subscriber), ignored -> { });
        subscriber.get().onError(new IllegalStateException("Session expired as connection was closed."));

        assertThat(undeliverable).isEmpty();
    }

    /** A flow that hands its subscriber to the test, which then signals whatever it likes, cancelled or not. */
    private static Flowable<String> ignoringCancellation(AtomicReference<Subscriber<? super String>> subscriber) {
        return Flowable.unsafeCreate(s -> {
            s.onSubscribe(new BooleanSubscription());
            subscriber.set(s);
        });
    }
}
