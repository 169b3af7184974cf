package io.gantry.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {

    @Test
    void nothingIsMadeBeforeTheFirstGet_andThenOnlyOnce() {
        AtomicInteger made = new AtomicInteger();
        Lazy<Object> lazy = new Lazy<>(() -> {
            made.incrementAndGet();
            return new Object();
        });
        assertThat(made).hasValue(0);

        Object first = lazy.get();

        assertThat(lazy.get()).isSameAs(first);
        assertThat(made).hasValue(1);
    }

    @Test
    void threadsThatAskAtOnce_getTheSameValue() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Lazy<Object> lazy = new Lazy<>(() -> {
            made.incrementAndGet();
            return new Object();
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Object>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return lazy.get();
                }));
            }
            start.countDown();
            Object first = answers.get(0).get();
            for (Future<Object> answer : answers) {
                assertThat(answer.get()).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(made).hasValue(1);
    }

    @Test
    void aMakerThatReturnsNull_fails_andIsAskedAgainNextTime() {
        AtomicInteger asked = new AtomicInteger();
        Lazy<Object> lazy = new Lazy<>(() -> asked.incrementAndGet() == 1 ? null : "made");

        assertThatThrownBy(lazy::get).isInstanceOf(NullPointerException.class);
        assertThat(lazy.get()).isEqualTo("made");
    }
}
