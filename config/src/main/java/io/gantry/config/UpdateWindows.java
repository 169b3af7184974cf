package io.gantry.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When desired states may be carried out in auto mode: windows such as {@code Mon-Fri 02:00-04:00} or
 * {@code Sat,Sun 00:00-24:00} in one time zone. A window whose end is before its start runs past midnight into the
 * next day. No windows: always open. Valid once built ({@link #parse} names what is wrong).
 */
public final class UpdateWindows {

    private static final Pattern WINDOW = Pattern.compile("^(\\S+)\\s+(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})$");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    /** How far ahead an opening is looked for: every window opens within a week. */
    private static final int DAYS_AHEAD = 8;

    private final List<Window> windows;
    private final ZoneId zone;
    private final List<String> text;

    private record Window(Set<DayOfWeek> days, LocalTime start, Duration length) {
    }

    private UpdateWindows(List<Window> windows, ZoneId zone, List<String> text) {
        this.windows = windows;
        this.zone = zone;
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException naming the window or zone that cannot be read, and the expected form
     */
    public static UpdateWindows parse(List<String> windows, String zone) {
        ZoneId z;
        try {
            z = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("\"" + zone + "\" is not a time zone (e.g. UTC, Europe/Berlin)");
        }
        List<Window> parsed = new ArrayList<>();
        for (String w : windows) {
            parsed.add(window(w));
        }
        return new UpdateWindows(List.copyOf(parsed), z, List.copyOf(windows));
    }

    private static Window window(String text) {
        String expected = " (expected days and times, e.g. \"Mon-Fri 02:00-04:00\" or \"Sat,Sun 00:00-24:00\")";
        Matcher m = WINDOW.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a window" + expected);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : m.group(1).toLowerCase(Locale.ROOT).split(",")) {
            if (part.equals("*")) {
                days.addAll(EnumSet.allOf(DayOfWeek.class));
                continue;
            }
            String[] range = part.split("-", -1);
            int from = DAYS.indexOf(range[0]);
            int to = range.length == 2 ? DAYS.indexOf(range[1]) : from;
            if (range.length > 2 || from < 0 || to < 0) {
                throw new IllegalArgumentException("\"" + text + "\": \"" + part + "\" is not a day or range of days"
                        + " (Mon … Sun, * for every day)");
            }
            for (int d = from; ; d = (d + 1) % 7) {
                days.add(DayOfWeek.of(d + 1));
                if (d == to) {
                    break;
                }
            }
        }
        int sh = Integer.parseInt(m.group(2));
        int sm = Integer.parseInt(m.group(3));
        int eh = Integer.parseInt(m.group(4));
        int em = Integer.parseInt(m.group(5));
        if (sh > 23 || sm > 59 || eh > 24 || em > 59 || (eh == 24 && em != 0)) {
            throw new IllegalArgumentException("\"" + text + "\": the times must be 00:00 to 24:00" + expected);
        }
        int start = sh * 60 + sm;
        int end = eh * 60 + em;
        if (start == end) {
            throw new IllegalArgumentException("\"" + text + "\": the window is empty" + expected);
        }
        int minutes = end > start ? end - start : end + 24 * 60 - start;
        return new Window(days, LocalTime.of(sh, sm), Duration.ofMinutes(minutes));
    }

    /** True when there are no windows: desired states are carried out at once. */
    public boolean always() {
        return windows.isEmpty();
    }

    /** Whether {@code at} lies in a window. */
    public boolean isOpen(Instant at) {
        if (windows.isEmpty()) {
            return true;
        }
        ZonedDateTime now = at.atZone(zone);
        for (Window w : windows) {
            // a window that opened yesterday may still be open
            for (int back = 0; back <= 1; back++) {
                LocalDate day = now.toLocalDate().minusDays(back);
                if (w.days().contains(day.getDayOfWeek())) {
                    ZonedDateTime open = day.atTime(w.start()).atZone(zone);
                    if (!now.isBefore(open) && now.isBefore(open.plus(w.length()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The next moment a window opens after {@code at}; empty without windows. */
    public Optional<Instant> nextOpening(Instant at) {
        ZonedDateTime now = at.atZone(zone);
        Optional<Instant> best = Optional.empty();
        for (Window w : windows) {
            for (int ahead = 0; ahead <= DAYS_AHEAD; ahead++) {
                LocalDate day = now.toLocalDate().plusDays(ahead);
                if (w.days().contains(day.getDayOfWeek())) {
                    Instant open = day.atTime(w.start()).atZone(zone).toInstant();
                    if (open.isAfter(at)) {
                        if (best.isEmpty() || open.isBefore(best.get())) {
                            best = Optional.of(open);
                        }
                        break;
                    }
                }
            }
        }
        return best;
    }

    /** The windows as configured, for messages: {@code Mon-Fri 02:00-04:00 (Europe/Berlin)}. */
    public String describe() {
        return String.join(", ", text) + " (" + zone + ")";
    }

    public ZoneId zone() {
        return zone;
    }
}
