package dev.prompttune.kernel.jshell;

import dev.prompttune.kernel.CellExit;
import groovyjarjarasm.asm.ClassReader;
import groovyjarjarasm.asm.ClassVisitor;
import groovyjarjarasm.asm.ClassWriter;
import groovyjarjarasm.asm.Handle;
import groovyjarjarasm.asm.MethodVisitor;
import groovyjarjarasm.asm.Opcodes;
import groovyjarjarasm.asm.Type;
import java.nio.charset.StandardCharsets;

/**
 * Redirects a Java cell's calls of {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} (also as method
 * references) to {@link CellExit}, which refuses them with one line when they run: in the kernel they ended the JVM,
 * and the notebook lost its runs with no word why. A cell's classes pass through here as JShell loads them.
 * <p>
 * The bytecode library is the copy of ASM inside Groovy (the DSL's dependency; no jar of its own). Only classes that
 * name {@code exit} or {@code halt} are parsed at all, and one this ASM cannot read (a class file newer than it knows)
 * is loaded unchanged: the kernel's exit report ({@code ExitReport}) still says why the kernel ended.
 */
final class ExitCallRewriter {

    private static final String GUARD = Type.getInternalName(CellExit.class);
    private static final String RUNTIME = "java/lang/Runtime";
    private static final String SYSTEM = "java/lang/System";

    private ExitCallRewriter() {
    }

    /** {@code bytes} with its exit calls redirected; the same array when there is none. */
    static byte[] rewrite(byte[] bytes) {
        if (!mentions(bytes, "exit") && !mentions(bytes, "halt")) {
            return bytes;
        }
        ClassReader reader;
        try {
            reader = new ClassReader(bytes);
        } catch (IllegalArgumentException newerThanThisAsm) {
            return bytes;
        }
        ClassWriter writer = new ClassWriter(reader, 0); // same stack shapes: no frames to recompute
        boolean[] changed = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, signature, exceptions)) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String d, boolean itf) {
                        String guard = guard(owner, method, d);
                        if (guard != null) {
                            changed[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD, guard, guardDescriptor(owner, d), false);
                        } else {
                            super.visitMethodInsn(opcode, owner, method, d, itf);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String d, Handle bootstrap, Object... args) {
                        for (int i = 0; i < args.length; i++) {
                            if (args[i] instanceof Handle h && guard(h.getOwner(), h.getName(), h.getDesc()) != null) {
                                changed[0] = true;
                                args[i] = new Handle(Opcodes.H_INVOKESTATIC, GUARD, guard(h.getOwner(), h.getName(), h.getDesc()),
                                        guardDescriptor(h.getOwner(), h.getDesc()), false);
                            }
                        }
                        super.visitInvokeDynamicInsn(name, d, bootstrap, args);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : bytes;
    }

    /** The {@link CellExit} method standing in for {@code owner.method(desc)}, or null. */
    private static String guard(String owner, String method, String desc) {
        if (!desc.equals("(I)V")) {
            return null;
        }
        if (owner.equals(SYSTEM) && method.equals("exit")) {
            return "systemExit";
        }
        if (owner.equals(RUNTIME) && method.equals("exit")) {
            return "runtimeExit";
        }
        return owner.equals(RUNTIME) && method.equals("halt") ? "runtimeHalt" : null;
    }

    /** A static stand-in takes the instance method's receiver as its first argument. */
    private static String guardDescriptor(String owner, String desc) {
        return owner.equals(RUNTIME) ? "(L" + RUNTIME + ";I)V" : desc;
    }

    private static boolean mentions(byte[] bytes, String word) {
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + w.length <= bytes.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (bytes[i + j] != w[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
