package io.updraft.store;

/** A row of the {@code variable} table: {@code val} is a Fernet token when {@code isEncrypted}. */
public record VariableRow(String key, String val, String description, boolean isEncrypted) {}
