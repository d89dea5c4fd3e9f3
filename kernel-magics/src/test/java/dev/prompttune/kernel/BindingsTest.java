package dev.prompttune.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a magic's binding is declared as in the notebook, and which names are allowed. */
class BindingsTest {

    private static final class Hidden extends ArrayList<String> {
    }

    record Local(int x) {
    }

    @Test
    void typesAreTheNearestNameablePublicClass() {
        assertEquals("java.util.ArrayList", Bindings.typeOf(new Hidden()), "a private class is declared as its public superclass");
        assertEquals("java.util.AbstractMap.SimpleEntry", Bindings.typeOf(new java.util.AbstractMap.SimpleEntry<>("k", 1)),
                "a public nested class by its canonical name");
        assertEquals("java.lang.Record", Bindings.typeOf(new Local(1)), "a record nested in a package-private class is not nameable");
        assertEquals("java.lang.String", Bindings.typeOf("s"));
        assertEquals("Object", Bindings.typeOf(null));
        assertEquals("java.lang.Object", Bindings.typeOf(new Object() { }), "an anonymous class is not nameable");
    }

    @Test
    void namesMustBeJavaVariables() {
        assertTrue(Bindings.isIdentifier("spamRun"));
        assertFalse(Bindings.isIdentifier("spam-run"));
        assertFalse(Bindings.isIdentifier("class"));
        assertFalse(Bindings.isIdentifier("1x"));
        assertThrows(IllegalArgumentException.class, () -> Notebook.bind("not a name", 1));
    }

    @Test
    void bindQueuesADeclarationAndKeepsTheValue() {
        Bindings.takePending();
        Notebook.bind("answer", List.of(42));
        Map<String, String> pending = Bindings.takePending();
        assertEquals(1, pending.size());
        assertTrue(pending.containsKey("answer"));
        assertEquals(List.of(42), Notebook.bound("answer"));
        assertTrue(Bindings.takePending().isEmpty(), "taken once");
    }
}
