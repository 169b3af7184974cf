package io.gantry.config;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shape of the configuration file, read off the configuration records: each record is a JSON object whose keys
 * are the snake_case names of its components, so the records are the one schema that loading, writing and diffing
 * share.
 */
final class ConfigTree {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private ConfigTree() {
    }

    /** One key of a record's JSON object. */
    record Key(String name, RecordComponent component) {

        Type type() {
            return component.getGenericType();
        }

        Object valueIn(Object record) {
            try {
                return component.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }
    }

    static List<Key> keys(Class<?> recordType) {
        List<Key> keys = new ArrayList<>();
        for (RecordComponent c : recordType.getRecordComponents()) {
            keys.add(new Key(snake(c.getName()), c));
        }
        return keys;
    }

    /** {@code brokerUrl} → {@code broker_url}. */
    static String snake(String camel) {
        StringBuilder out = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                out.append('_').append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The path of a record key below {@code parent}: {@code connection.keep_alive}. */
    static String child(String parent, String key) {
        String k = PLAIN_KEY.matcher(key).matches() ? key : "[\"" + key + "\"]";
        if (parent.isEmpty() || k.startsWith("[")) {
            return parent + k;
        }
        return parent + "." + k;
    }

    /** The path of a map entry, always quoted because map keys (registry hosts) hold dots: {@code registries["a.b"]}. */
    static String entry(String parent, String key) {
        return parent + "[\"" + key.replace("\"", "\\\"") + "\"]";
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A record that is a JSON object of the file; {@link ByteSize} and {@link Secret} are records but JSON strings. */
    static boolean isSection(Type type) {
        return type instanceof Class<?> c && c.isRecord() && c != ByteSize.class && c != Secret.class;
    }

    static Type typeArgument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    static Class<?> rawType(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        return (Class<?>) ((ParameterizedType) type).getRawType();
    }

    /** The {@code DEFAULTS} constant of a record that map entries are made of. */
    static Object defaultsOf(Class<?> recordType) {
        try {
            Field field = recordType.getField("DEFAULTS");
            if (!Modifier.isStatic(field.getModifiers())) {
                throw new IllegalStateException(recordType + ".DEFAULTS is not static");
            }
            return field.get(null);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException(recordType.getSimpleName() + " needs a public static DEFAULTS", e);
        }
    }

    /** Every key path of the file, with {@code <host>} standing for a map key: used for suggestions and docs. */
    static List<String> allPaths() {
        List<String> paths = new ArrayList<>();
        collect(AgentConfig.class, "", paths);
        return paths;
    }

    private static void collect(Class<?> recordType, String parent, List<String> out) {
        for (Key key : keys(recordType)) {
            String path = parent.isEmpty() ? key.name() : parent + "." + key.name();
            Type type = key.type();
            if (isSection(type)) {
                collect((Class<?>) type, path, out);
            } else if (rawType(type) == Map.class) {
                collect(rawType(typeArgument(type, 1)), path + ".<host>", out);
            } else {
                out.add(path);
            }
        }
    }
}
