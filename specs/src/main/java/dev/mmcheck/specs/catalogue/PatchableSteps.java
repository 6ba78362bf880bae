package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.specs.algorithms.Munmap;
import dev.mmcheck.specs.scenario.KernelModel;
import dev.mmcheck.specs.scenario.Scenario;
import dev.mmcheck.specs.scenario.ScenarioModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What a proposed change can target: the steps a variant's models write (with their source
 * references), and the {@link StepRef} constants the model declares for them
 * ({@code MmuGather.ZAP_PTE_CLEAR}), found in the model's classes so that none is missed. A step
 * whose name carries a CPU, thread or page number is named by a factory of int arguments
 * ({@code TlbFlush.isNotLazy(1)}), found the same way and tried on the numbers a scenario can have.
 */
public final class PatchableSteps {
    private static final List<String> MODEL_PACKAGES = List.of("dev/mmcheck/model/", "dev/mmcheck/specs/");
    /** The CPU, thread and page numbers a factory is tried on: more than any scenario has. */
    private static final int FACTORY_ARGUMENTS = 8;
    private static Map<StepRef, String> constants;
    private static List<Map.Entry<String, StepRef>> declared;

    private PatchableSteps() {
    }

    /**
     * Every public {@code StepRef} constant of the model's classes, by step, with the name a
     * user writes ({@code "MmuGather.ZAP_PTE_CLEAR"}), in name order; then what the public
     * static factories of one or two int arguments return ({@code "TlbFlush.isNotLazy(1)"}).
     */
    public static synchronized Map<StepRef, String> constants() {
        if (constants == null) {
            Map<StepRef, String> byStep = new LinkedHashMap<>();
            for (Map.Entry<String, StepRef> e : declared()) {
                byStep.putIfAbsent(e.getValue(), e.getKey());
            }
            constants = byStep;
        }
        return constants;
    }

    /**
     * Every constant as declared, by the name a user writes, in name order, then what the
     * factories return: a step named by two constants shows here twice.
     */
    public static synchronized List<Map.Entry<String, StepRef>> declared() {
        if (declared == null) {
            TreeSet<String> classes = new TreeSet<>();
            for (Class<?> anchor : List.of(Kernel.class, Munmap.class)) {
                classes.addAll(classNames(anchor));
            }
            List<Map.Entry<String, StepRef>> found = new ArrayList<>();
            List<Map.Entry<String, StepRef>> factories = new ArrayList<>();
            for (String name : classes) {
                Class<?> c;
                try {
                    c = Class.forName(name, false, PatchableSteps.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                if (!Modifier.isPublic(c.getModifiers())) {
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getReturnType() == StepRef.class && Modifier.isStatic(m.getModifiers())
                            && Modifier.isPublic(m.getModifiers()) && intArguments(m)) {
                        factories.addAll(tried(c, m));
                    }
                }
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (f.getType() == StepRef.class && Modifier.isStatic(m) && Modifier.isPublic(m)
                            && Modifier.isPublic(c.getModifiers())) {
                        try {
                            found.add(Map.entry(c.getSimpleName() + "." + f.getName(), (StepRef) f.get(null)));
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
            found.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
            found.addAll(factories);
            declared = List.copyOf(found);
        }
        return declared;
    }

    /**
     * The steps (and {@code either} alternatives) that {@code variant}'s models of
     * {@code scenarios} write, by name, with their source references, in first-written order.
     * Scenarios the variant cannot run are left out.
     */
    public static Map<String, String> of(Variant variant, Collection<Supplier<Scenario>> scenarios) {
        Map<String, String> steps = new LinkedHashMap<>();
        for (Supplier<Scenario> s : scenarios) {
            KernelModel km;
            try {
                km = ScenarioModel.compile(s.get(), variant);
            } catch (IllegalArgumentException unsupported) {
                continue;
            }
            km.kernel().program.steps().forEach(steps::putIfAbsent);
        }
        return steps;
    }

    private static boolean intArguments(Method m) {
        Class<?>[] types = m.getParameterTypes();
        return types.length >= 1 && types.length <= 2 && Arrays.stream(types).allMatch(t -> t == int.class);
    }

    /** What factory {@code m} of class {@code c} returns on each argument it accepts. */
    private static List<Map.Entry<String, StepRef>> tried(Class<?> c, Method m) {
        List<Map.Entry<String, StepRef>> made = new ArrayList<>();
        int n = m.getParameterCount();
        for (int a = 0; a < FACTORY_ARGUMENTS; a++) {
            for (int b = 0; b < (n == 2 ? FACTORY_ARGUMENTS : 1); b++) {
                Object[] args = n == 2 ? new Object[] {a, b} : new Object[] {a};
                try {
                    made.add(Map.entry(c.getSimpleName() + "." + m.getName() + "(" + (n == 2 ? a + ", " + b : a) + ")",
                            (StepRef) m.invoke(null, args)));
                } catch (ReflectiveOperationException | IllegalArgumentException refused) {
                    // a number this factory does not take
                }
            }
        }
        return made;
    }

    /** The class names in the model packages of the jar or directory {@code anchor} was loaded from. */
    private static List<String> classNames(Class<?> anchor) {
        try {
            Path where = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> entries = new ArrayList<>();
            if (Files.isDirectory(where)) {
                try (Stream<Path> files = Files.walk(where)) {
                    files.forEach(p -> entries.add(where.relativize(p).toString().replace('\\', '/')));
                }
            } else {
                try (JarFile jar = new JarFile(where.toFile())) {
                    jar.stream().forEach(e -> entries.add(e.getName()));
                }
            }
            List<String> names = new ArrayList<>();
            for (String e : entries) {
                if (e.endsWith(".class") && !e.contains("$") && MODEL_PACKAGES.stream().anyMatch(e::startsWith)) {
                    names.add(e.substring(0, e.length() - ".class".length()).replace('/', '.'));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
